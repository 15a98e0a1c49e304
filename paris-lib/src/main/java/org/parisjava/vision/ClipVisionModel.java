package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.io.HfModelFolder;

/**
 * CLIP's vision tower with its projection into the shared image-text space (Radford et al. 2021,
 * arXiv 2103.00020), read from a transformers folder: a {@code CLIPVisionModelWithProjection} folder or
 * the vision half of a full {@code CLIPModel} folder such as openai/clip-vit-large-patch14 (whose text
 * tower, text projection and logit scale are left to {@code text.HfClipTextEmbedder}).
 *
 * <p>Forward, as transformers computes it: a p x p stride-p convolution without bias cuts the image
 * into T = (S/p)^2 patch tokens, the learned class embedding is prepended, learned positions are
 * added, {@code pre_layrnorm}, L pre-LN encoder layers ({@link ClipEncoderLayer}); the pooled output is
 * {@code post_layernorm} of the CLS token, and the image embedding is that times
 * {@code visual_projection} (no bias).
 *
 * <p>Shapes: B batch, C channels, S x S pixels (normalized with CLIP's mean and std, see
 * {@link ClipImageProcessor}), T patch tokens, D hidden, P projection. Safe to call from one thread at a time.
 */
public final class ClipVisionModel implements AutoCloseable {
    private final ClipVisionConfig config;
    private final NDManager manager;
    private final NDArray patchWeight; // (D, C, p, p)
    private final NDArray classEmbedding; // (D)
    private final NDArray positions; // (1 + T, D)
    private final LayerNormLayer preNorm;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNormLayer postNorm;
    private final NDArray projection; // (P, D)

    /** last_hidden_state (B, 1 + T, D), pooler_output (B, D) and image_embeds (B, P), float32. */
    public record Output(NDArray lastHiddenState, NDArray pooled, NDArray imageEmbeds) implements AutoCloseable {
        @Override
        public void close() {
            lastHiddenState.close();
            pooled.close();
            imageEmbeds.close();
        }
    }

    private ClipVisionModel(ClipVisionConfig c, WeightSource w, String p) {
        this.config = c;
        this.manager = w.manager();
        int d = c.hidden();
        this.classEmbedding = w.take(p + "embeddings.class_embedding", d);
        this.patchWeight = w.take(p + "embeddings.patch_embedding.weight", d, c.channels(), c.patchSize(),
                c.patchSize());
        this.positions = w.take(p + "embeddings.position_embedding.weight", c.tokens(), d);
        this.preNorm = LayerNormLayer.load(w, p + "pre_layrnorm", d, (float) c.layerNormEps());
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new ClipEncoderLayer(w, p + "encoder.layers." + i + ".", c));
        }
        this.postNorm = LayerNormLayer.load(w, p + "post_layernorm", d, (float) c.layerNormEps());
        this.projection = w.take("visual_projection.weight", c.projectionDim(), d);
    }

    /**
     * Loads the vision tower and its projection in float32 from a CLIPModel or
     * CLIPVisionModelWithProjection folder; every other tensor must belong to the text side of a
     * CLIPModel ({@code text_model.*}, {@code text_projection.weight}, {@code logit_scale}).
     *
     * @param parent the manager the model's own manager is a child of (closed by {@link #close})
     * @throws IllegalArgumentException naming the folder and tensor for a missing, unexpected or wrongly
     *                                  shaped weight (a CLIPVisionModel folder without visual_projection
     *                                  included), or an invalid config
     */
    public static ClipVisionModel load(Path dir, NDManager parent) {
        try (HfModelFolder folder = HfModelFolder.open(dir)) {
            ClipVisionConfig c = ClipVisionConfig.fromJson(folder.config(), dir.resolve("config.json"));
            // transformers 4.x and 5.x both save the tower under vision_model.; accept a bare tower too
            String p = folder.has("vision_model.embeddings.class_embedding") ? "vision_model." : "";
            NDManager m = parent.newSubManager();
            try {
                ClipVisionModel model = new ClipVisionModel(c, WeightSource.of(folder, m), p);
                folder.ignore(n -> n.endsWith("position_ids") || n.startsWith("text_model.")
                        || n.equals("text_projection.weight") || n.equals("logit_scale"));
                folder.finish();
                return model;
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /**
     * A tower of the given sizes with random weights ({@link WeightSource#random}), for benchmarks at full
     * size without the real files.
     */
    public static ClipVisionModel random(ClipVisionConfig config, long seed, NDManager parent) {
        NDManager m = parent.newSubManager();
        return new ClipVisionModel(config, WeightSource.random(m, seed), "vision_model.");
    }

    /** The exact number of weights of {@code config} with its projection, allocating none. */
    public static long parameterCount(ClipVisionConfig config) {
        WeightSource.Counter counter = new WeightSource.Counter();
        new ClipVisionModel(config, counter, "vision_model.");
        return counter.parameters();
    }

    public ClipVisionConfig config() {
        return config;
    }

    /**
     * Runs the tower.
     *
     * @param pixels (B, C, S, S) float32, normalized as {@link ClipImageProcessor} does
     * @return the three outputs, in {@code pixels}' manager
     * @throws IllegalArgumentException if the input is not (B, C, S, S) for the config's S
     */
    public Output forward(NDArray pixels) {
        Shape s = pixels.getShape();
        int side = config.imageSize();
        if (s.dimension() != 4 || s.get(1) != config.channels() || s.get(2) != side || s.get(3) != side) {
            throw new IllegalArgumentException("CLIP vision expects (B, " + config.channels() + ", " + side + ", "
                    + side + "), got " + s);
        }
        long b = s.get(0);
        int d = config.hidden();
        int t = config.tokens() - 1;
        NDArray tokens;
        try (NDArray grid = Conv2d.conv2d(pixels, patchWeight, null, new Shape(config.patchSize(), config.patchSize()),
                new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow(); // (B, D, S/p, S/p)
             NDArray flat = grid.reshape(b, d, t)) { // (B, D, T)
            tokens = flat.transpose(0, 2, 1); // (B, T, D)
        }
        NDArray x;
        try (tokens; NDArray one = classEmbedding.reshape(1, 1, d); // (1, 1, D)
             NDArray cls = one.broadcast(b, 1, d)) { // (B, 1, D)
            x = cls.concat(tokens, 1).addi(positions); // (B, 1 + T, D)
        }
        try (NDArray embedded = x) {
            x = preNorm.forward(embedded); // (B, 1 + T, D)
        }
        for (ClipEncoderLayer layer : layers) {
            x = layer.forwardClosing(x); // (B, 1 + T, D)
        }
        NDArray pooled;
        try (NDArray cls = x.get(new NDIndex(":, 0, :"))) { // (B, D)
            pooled = postNorm.forward(cls); // (B, D)
        }
        NDArray embeds = pooled.getNDArrayInternal().linear(pooled, projection, null).singletonOrThrow(); // (B, P)
        return new Output(x, pooled, embeds);
    }

    @Override
    public void close() {
        manager.close();
    }
}
