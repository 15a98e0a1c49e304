package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Cuts an image into non-overlapping p x p patches, projects each to D (a linear patchify, the same
 * parameters as the reference's stride-p convolution) and adds positions: by default FIXED 2-D
 * sine-cosine positions (not learned, so a model carries no position parameters and every expert
 * shares them), or a learned table of T positions, as the released Paris weights have.
 *
 * <p>Shapes: B batch, C channels, H = W = image side, p patch, g = H / p, T = g^2 tokens, D hidden.
 * Input NDList(x (B, C, H, W)), output NDList((B, T, D)).
 */
public final class PatchEmbed extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int imageSize;
    private final int channels;
    private final int patch;
    private final int hidden;
    private final float[] positions;
    private final Linear proj;

    /** Learned position table (1, T, D), or null for the fixed sine-cosine table. */
    private final Parameter learned;

    /** Patch embedding with the fixed 2-D sine-cosine positions. */
    public PatchEmbed(int imageSize, int channels, int patch, int hidden) {
        this(imageSize, channels, patch, hidden, false);
    }

    /**
     * @param learnedPositions true: a learned (1, T, D) table named {@code pos_embed}, initialized
     *                         N(0, 0.02) (the released Paris models); false: fixed sine-cosine positions
     */
    public PatchEmbed(int imageSize, int channels, int patch, int hidden, boolean learnedPositions) {
        super(VERSION);
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("Patch " + patch + " does not divide image size " + imageSize);
        }
        this.imageSize = imageSize;
        this.channels = channels;
        this.patch = patch;
        this.hidden = hidden;
        this.positions = sinCosPositions(hidden, imageSize / patch);
        this.proj = addChildBlock("proj", Layers.linear(hidden));
        long tokens = (long) (imageSize / patch) * (imageSize / patch);
        this.learned = !learnedPositions ? null : addParameter(Parameter.builder().setName("pos_embed")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(1, tokens, hidden))
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    /**
     * The 2-D sine-cosine table, row-major over the g x g grid: the first D/2 values encode the row,
     * the last D/2 the column, each as [sin(pos w_i), cos(pos w_i)] with w_i = 10000^(-i / (D/4)).
     *
     * @return (T * D) values, token-major
     */
    public static float[] sinCosPositions(int dim, int grid) {
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("Positional width must be a multiple of 4: " + dim);
        }
        int quarter = dim / 4;
        float[] out = new float[grid * grid * dim];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int base = (r * grid + c) * dim;
                for (int i = 0; i < quarter; i++) {
                    double w = Math.pow(10000.0, -(double) i / quarter);
                    out[base + i] = (float) Math.sin(r * w);
                    out[base + quarter + i] = (float) Math.cos(r * w);
                    out[base + 2 * quarter + i] = (float) Math.sin(c * w);
                    out[base + 3 * quarter + i] = (float) Math.cos(c * w);
                }
            }
        }
        return out;
    }

    /**
     * (B, C, H, W) -> (B, T, C p p), patch values ordered channel, then row, then column in the patch.
     */
    public static NDArray patchify(NDArray x, int patch) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long g = s.get(2) / patch;
        NDArray p = x.reshape(b, c, g, patch, g, patch); // (B, C, g, p, g, p)
        p = p.transpose(0, 2, 4, 1, 3, 5); // (B, g, g, C, p, p)
        return p.reshape(b, g * g, c * patch * patch); // (B, T, C p p)
    }

    /** The inverse of {@link #patchify}: (B, T, C p p) -> (B, C, H, W). */
    public static NDArray unpatchify(NDArray tokens, int patch, int channels) {
        Shape s = tokens.getShape();
        long b = s.get(0);
        long g = Math.round(Math.sqrt(s.get(1)));
        if (g * g != s.get(1)) {
            throw new IllegalArgumentException("Token count " + s.get(1) + " is not a square grid");
        }
        NDArray x = tokens.reshape(b, g, g, channels, patch, patch); // (B, g, g, C, p, p)
        x = x.transpose(0, 3, 1, 4, 2, 5); // (B, C, g, p, g, p)
        return x.reshape(b, channels, g * patch, g * patch); // (B, C, H, W)
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels || s.get(2) != imageSize || s.get(3) != imageSize) {
            throw new IllegalArgumentException("PatchEmbed expects (B, " + channels + ", " + imageSize + ", "
                    + imageSize + ") images, got " + s);
        }
        NDArray tokens = Layers.denseClosing(proj, ps, patchify(x, patch), training); // (B, T, D)
        long t = tokens.getShape().get(1);
        if (learned != null) {
            return new NDList(tokens.addi(ps.getValue(learned, x.getDevice(), training))); // (B, T, D)
        }
        try (NDArray pos = x.getManager().create(positions, new Shape(1, t, hidden))) { // (1, T, D)
            return new NDList(tokens.addi(pos)); // (B, T, D)
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long g = imageSize / patch;
        return new Shape[] {new Shape(inputShapes[0].get(0), g * g, hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long g = imageSize / patch;
        proj.initialize(manager, dataType, new Shape(inputShapes[0].get(0), g * g, (long) channels * patch * patch));
    }
}
