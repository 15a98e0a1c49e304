package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * One DiT block with AdaLN-Single (PixArt-alpha): the model computes ONE timestep projection
 * t0 (B, 6, D) shared by all blocks; each block adds its own learned scale-shift table (6, D) to it
 * and splits the sum into shift, scale and gate for the self-attention and for the MLP.
 *
 * <pre>
 *   x = x + gate_msa * SelfAttn(LN(x) * (1 + scale_msa) + shift_msa)
 *   x = x + CrossAttn(x, text, key mask)            // output projection zero at init
 *   x = x + gate_mlp * MLP(LN(x) * (1 + scale_mlp) + shift_mlp)
 * </pre>
 *
 * <p>Shapes: B batch, T image tokens, L text tokens, D hidden. Inputs NDList(x (B, T, D),
 * text (B, L, D) already projected to D, t0 (B, 6, D), keyBias (B, 1, 1, L) from
 * {@link MultiHeadAttention#keyMaskBias}). Output NDList((B, T, D)).
 */
public final class DiTBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MultiHeadAttention attn;
    private final MultiHeadAttention crossAttn;
    private final Mlp mlp;
    private final Parameter scaleShiftTable;

    public DiTBlock(int hidden, int heads, int mlpRatio) {
        this(hidden, heads, mlpRatio, false);
    }

    /** @param exactGelu the MLP's GELU: exact (erf) or the tanh approximation ({@link DiTConfig#exactGelu}) */
    public DiTBlock(int hidden, int heads, int mlpRatio, boolean exactGelu) {
        super(VERSION);
        this.attn = addChildBlock("attn", MultiHeadAttention.builder().setHidden(hidden).setHeads(heads).build());
        this.crossAttn = addChildBlock("cross_attn", MultiHeadAttention.builder().setHidden(hidden).setHeads(heads)
                .optCross(true).optZeroOutput(true).build());
        this.mlp = addChildBlock("mlp", new Mlp(mlpRatio * hidden, hidden, exactGelu));
        // PixArt initializes the table as randn / sqrt(D)
        this.scaleShiftTable = addParameter(Parameter.builder().setName("scale_shift_table")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(6, hidden))
                .optInitializer(new NormalInitializer((float) (1.0 / Math.sqrt(hidden)))).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        NDArray text = inputs.get(1); // (B, L, D)
        NDArray t0 = inputs.get(2); // (B, 6, D)
        NDArray keyBias = inputs.get(3); // (B, 1, 1, L)
        NDArray table = ps.getValue(scaleShiftTable, x.getDevice(), training); // (6, D)
        NDList mod = t0.add(table).split(6, 1); // 6 x (B, 1, D)
        try (NDArray onePlusScaleMsa = mod.get(1).add(1f); // (B, 1, D)
             NDArray onePlusScaleMlp = mod.get(4).add(1f)) { // (B, 1, D)
            // temporaries are closed as soon as they are dead (see Layers)
            NDArray h = Layers.normModulate(x, onePlusScaleMsa, mod.get(0)); // (B, T, D)
            h = Layers.forwardClosing(attn, ps, h, training); // (B, T, D)
            NDArray x1 = residual(x, h, mod.get(2)); // (B, T, D)

            h = crossAttn.forward(ps, new NDList(x1, text, keyBias), training).singletonOrThrow(); // (B, T, D)
            NDArray x2 = residual(x1, h, null); // (B, T, D)
            x1.close();

            h = Layers.normModulate(x2, onePlusScaleMlp, mod.get(3)); // (B, T, D)
            h = Layers.forwardClosing(mlp, ps, h, training); // (B, T, D)
            NDArray out = residual(x2, h, mod.get(5)); // (B, T, D)
            x2.close();
            return new NDList(out);
        } finally {
            mod.close();
        }
    }

    /** x + gate * branch (or x + branch without a gate), closing the branch output. */
    private static NDArray residual(NDArray x, NDArray branch, NDArray gate) {
        try (branch) {
            if (gate == null) {
                return x.add(branch); // (B, T, D)
            }
            try (NDArray gated = branch.mul(gate)) { // (B, T, D)
                return x.add(gated); // (B, T, D)
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape text = inputShapes[1];
        attn.initialize(manager, dataType, x);
        crossAttn.initialize(manager, dataType, x, text);
        mlp.initialize(manager, dataType, x);
    }
}
