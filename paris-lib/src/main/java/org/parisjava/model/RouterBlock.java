package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One router block with AdaLN-Zero (the DiT reference's block without cross-attention): each block
 * maps the timestep embedding to its own shift, scale and gate for attention and MLP, through a
 * linear layer that starts at zero, so every block starts as the identity.
 *
 * <pre>
 *   shift, scale, gate (x2) = Linear(SiLU(c))          // zero at init
 *   x = x + gate_msa * SelfAttn(LN(x) * (1 + scale_msa) + shift_msa)
 *   x = x + gate_mlp * MLP(LN(x) * (1 + scale_mlp) + shift_mlp)
 * </pre>
 *
 * <p>Shapes: B batch, T tokens (CLS included), D hidden. Inputs NDList(x (B, T, D), c (B, D)).
 * Output NDList((B, T, D)).
 */
public final class RouterBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final MultiHeadAttention attn;
    private final Mlp mlp;
    private final Linear adaLn;

    public RouterBlock(int hidden, int heads, int mlpRatio) {
        super(VERSION);
        this.hidden = hidden;
        this.attn = addChildBlock("attn", MultiHeadAttention.builder().setHidden(hidden).setHeads(heads).build());
        this.mlp = addChildBlock("mlp", new Mlp(mlpRatio * hidden, hidden));
        this.adaLn = addChildBlock("adaLN_modulation", Layers.zeroLinear(6L * hidden));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        NDArray c = inputs.get(1); // (B, D)
        long b = x.getShape().get(0);
        NDArray m = adaLn.forward(ps, new NDList(Layers.silu(c)), training).singletonOrThrow()
                .reshape(b, 6, hidden); // (B, 6, D)
        NDList mod = m.split(6, 1); // 6 x (B, 1, D)
        NDArray h = Layers.modulate(Layers.layerNorm(x), mod.get(1).add(1f), mod.get(0)); // (B, T, D)
        h = attn.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, T, D)
        x = x.add(h.mul(mod.get(2))); // (B, T, D)
        h = Layers.modulate(Layers.layerNorm(x), mod.get(4).add(1f), mod.get(3)); // (B, T, D)
        h = mlp.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, T, D)
        return new NDList(x.add(h.mul(mod.get(5)))); // (B, T, D)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attn.initialize(manager, dataType, inputShapes[0]);
        mlp.initialize(manager, dataType, inputShapes[0]);
        adaLn.initialize(manager, dataType, inputShapes[1]);
    }
}
