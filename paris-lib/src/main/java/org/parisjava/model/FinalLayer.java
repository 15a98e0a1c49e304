package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * PixArt's T2I final layer: LayerNorm, then shift and scale from its own 2-row table plus the
 * timestep embedding, then a linear to p^2 C values per token. The linear starts at zero, so an
 * untrained model predicts v = 0 exactly. The caller unpatchifies ({@link PatchEmbed#unpatchify}).
 *
 * <p>Shapes: B batch, T tokens, D hidden, P = p^2 C. Inputs NDList(x (B, T, D), temb (B, D)).
 * Output NDList((B, T, P)).
 */
public final class FinalLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final int outValues;
    private final Linear linear;
    private final Parameter scaleShiftTable;

    public FinalLayer(int hidden, int outValues) {
        super(VERSION);
        this.hidden = hidden;
        this.outValues = outValues;
        this.linear = addChildBlock("linear", Layers.zeroLinear(outValues));
        this.scaleShiftTable = addParameter(Parameter.builder().setName("scale_shift_table")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(2, hidden))
                .optInitializer(new NormalInitializer((float) (1.0 / Math.sqrt(hidden)))).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        NDArray temb = inputs.get(1); // (B, D)
        NDArray table = ps.getValue(scaleShiftTable, x.getDevice(), training); // (2, D)
        NDList mod = temb.expandDims(1).add(table).split(2, 1); // 2 x (B, 1, D)
        NDArray h;
        try (NDArray onePlusScale = mod.get(1).add(1f)) { // (B, 1, D)
            h = Layers.normModulate(x, onePlusScale, mod.get(0)); // (B, T, D)
        }
        mod.close();
        return new NDList(Layers.forwardClosing(linear, ps, h, training)); // (B, T, P)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), x.get(1), outValues)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, inputShapes[0]);
    }

    int hidden() {
        return hidden;
    }
}
