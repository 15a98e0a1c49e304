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
 * Embeds scalar timesteps: sinusoidal features of width {@link DiTConfig#FREQUENCY_DIM}, then
 * Linear - SiLU - Linear to D. The input is already on the 0..1000 scale (docs/design.md, section 2:
 * the model sees 1000 t). Input NDList(t (B)), output NDList((B, D)).
 */
public final class TimestepEmbedder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final Linear fc1;
    private final Linear fc2;

    public TimestepEmbedder(int hidden) {
        super(VERSION);
        this.hidden = hidden;
        this.fc1 = addChildBlock("fc1", Layers.linear(hidden));
        this.fc2 = addChildBlock("fc2", Layers.linear(hidden));
        Layers.normalWeights(fc1, 0.02f);
        Layers.normalWeights(fc2, 0.02f);
    }

    /**
     * Sinusoidal features [cos(t f_i), sin(t f_i)] with f_i = 10000^(-i / half), as the DiT reference.
     *
     * @param t timesteps (B)
     * @return (B, dim)
     */
    public static NDArray frequencies(NDArray t, int dim) {
        int half = dim / 2;
        NDManager m = t.getManager();
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            f[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        try (NDArray freqs = m.create(f, new Shape(1, half))) { // (1, half)
            NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs); // (B, half)
            try (args; NDArray cos = args.cos(); NDArray sin = args.sin()) {
                return cos.concat(sin, 1); // (B, dim)
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray emb = frequencies(inputs.singletonOrThrow(), DiTConfig.FREQUENCY_DIM); // (B, 256)
        NDArray h = Layers.forwardClosing(fc1, ps, emb, training); // (B, D)
        NDArray a;
        try (h) {
            a = Layers.silu(h); // (B, D)
        }
        return new NDList(Layers.forwardClosing(fc2, ps, a, training)); // (B, D)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        fc1.initialize(manager, dataType, new Shape(b, DiTConfig.FREQUENCY_DIM));
        fc2.initialize(manager, dataType, new Shape(b, hidden));
    }
}
