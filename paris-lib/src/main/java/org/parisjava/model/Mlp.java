package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Two linear layers with a tanh-GELU between them: the DiT block's feed-forward (D -> rD -> D) and
 * PixArt's caption projection (Dt -> D -> D). Input (..., Din), output (..., out).
 */
public final class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Linear fc1;
    private final Linear fc2;
    private final int hiddenUnits;
    private final int outUnits;

    public Mlp(int hiddenUnits, int outUnits) {
        super(VERSION);
        if (hiddenUnits <= 0 || outUnits <= 0) {
            throw new IllegalArgumentException("Invalid MLP sizes: hidden " + hiddenUnits + ", out " + outUnits);
        }
        this.hiddenUnits = hiddenUnits;
        this.outUnits = outUnits;
        this.fc1 = addChildBlock("fc1", Layers.linear(hiddenUnits));
        this.fc2 = addChildBlock("fc2", Layers.linear(outUnits));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = fc1.forward(ps, inputs, training).singletonOrThrow(); // (..., Dh)
        NDArray a;
        try (h) {
            a = Layers.geluTanh(h); // (..., Dh)
        }
        return new NDList(Layers.forwardClosing(fc2, ps, a, training)); // (..., Dout)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outUnits)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        fc1.initialize(manager, dataType, in);
        fc2.initialize(manager, dataType, in.slice(0, in.dimension() - 1).add(hiddenUnits));
    }
}
