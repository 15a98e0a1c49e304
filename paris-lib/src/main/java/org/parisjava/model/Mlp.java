package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Two linear layers with a GELU between them: the DiT block's feed-forward (D -> rD -> D) and
 * PixArt's caption projection (Dt -> D -> D). Input (..., Din), output (..., out). The GELU is the
 * tanh approximation of the DiT reference, or the exact (erf) one ({@link DiTConfig#exactGelu}).
 */
public final class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Linear fc1;
    private final Linear fc2;
    private final int hiddenUnits;
    private final int outUnits;
    private final boolean exactGelu;

    /** With tanh-GELU, as the DiT reference. */
    public Mlp(int hiddenUnits, int outUnits) {
        this(hiddenUnits, outUnits, false);
    }

    /** @param exactGelu true: the exact (erf) GELU, one fused op; false: tanh-GELU */
    public Mlp(int hiddenUnits, int outUnits, boolean exactGelu) {
        super(VERSION);
        if (hiddenUnits <= 0 || outUnits <= 0) {
            throw new IllegalArgumentException("Invalid MLP sizes: hidden " + hiddenUnits + ", out " + outUnits);
        }
        this.hiddenUnits = hiddenUnits;
        this.outUnits = outUnits;
        this.exactGelu = exactGelu;
        this.fc1 = addChildBlock("fc1", Layers.linear(hiddenUnits));
        this.fc2 = addChildBlock("fc2", Layers.linear(outUnits));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = Layers.dense(fc1, ps, inputs.singletonOrThrow(), training); // (..., Dh)
        NDArray a;
        try (h) {
            a = exactGelu ? Activation.gelu(h) : Layers.geluTanh(h); // (..., Dh)
        }
        return new NDList(Layers.denseClosing(fc2, ps, a, training)); // (..., Dout)
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
