package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parisjava.io.HfModelFolder;

/**
 * DINOv2 (Oquab et al., arXiv 2304.07193), the self-supervised ViT whose ViT-L/14 features Paris
 * clusters (arXiv 2510.03434), read from a transformers {@code Dinov2Model} folder
 * (facebook/dinov2-small/base/large/giant without SwiGLU: config.json + model.safetensors).
 *
 * <p>Forward, as transformers computes it: a p x p stride-p convolution cuts the image into
 * T = (H/p)(W/p) patch tokens, a learned CLS token is prepended, learned positions are added (the
 * trained g x g table is resampled bicubically to the input's grid unless the input is square with
 * g x g patches, exactly as {@code Dinov2Embeddings.interpolate_pos_encoding}), then L pre-norm
 * layers with layer scale and a final LayerNorm.
 *
 * <p>Shapes: B batch, C channels, H x W pixels (already normalized as the model expects, see
 * {@code ImageNormalization.IMAGENET}), T patch tokens, D hidden. Not thread-safe (it caches the
 * resampled position tables per grid).
 */
public final class Dinov2Model implements AutoCloseable {
    private final Dinov2Config config;
    private final NDManager manager;
    private final Conv2dLayer patchEmbed;
    private final NDArray clsToken; // (1, 1, D)
    private final NDArray positions; // (1, 1 + g*g, D)
    private final List<Dinov2Layer> layers = new ArrayList<>();
    private final LayerNormLayer layerNorm;
    private final Map<Long, NDArray> resampled = new HashMap<>();

    private Dinov2Model(Dinov2Config c, WeightSource w) {
        this.config = c;
        this.manager = w.manager();
        int d = c.hidden();
        int n = 1 + c.grid() * c.grid();
        this.clsToken = w.take("embeddings.cls_token", 1, 1, d);
        if (c.maskToken()) {
            NDArray mask = w.take("embeddings.mask_token", 1, d); // masked-patch pretraining only
            if (mask != null) {
                mask.close();
            }
        }
        this.positions = w.take("embeddings.position_embeddings", 1, n, d);
        this.patchEmbed = Conv2dLayer.load(w, "embeddings.patch_embeddings.projection", c.channels(), d, c.patchSize(),
                c.patchSize(), 0);
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new Dinov2Layer(w, "encoder.layer." + i + ".", c));
        }
        this.layerNorm = LayerNormLayer.load(w, "layernorm", d, (float) c.layerNormEps());
    }

    /**
     * Loads a transformers DINOv2 folder in float32; every tensor of the folder must be used.
     *
     * @param parent the manager the model's own manager is a child of (closed by {@link #close})
     * @throws IllegalArgumentException naming the folder and tensor for a missing, unexpected or
     *                                  wrongly shaped weight, or an unsupported config
     */
    public static Dinov2Model load(Path dir, NDManager parent) {
        try (HfModelFolder folder = HfModelFolder.open(dir)) {
            Dinov2Config c = Dinov2Config.from(folder);
            NDManager m = parent.newSubManager();
            try {
                Dinov2Model model = new Dinov2Model(c, WeightSource.of(folder, m));
                folder.finish();
                return model;
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /** The exact number of weights of {@code config} (the mask token included, as transformers counts), allocating none. */
    public static long parameterCount(Dinov2Config config) {
        WeightSource.Counter counter = new WeightSource.Counter();
        new Dinov2Model(config, counter);
        return counter.parameters();
    }

    public Dinov2Config config() {
        return config;
    }

    /**
     * The last hidden state after the final LayerNorm, transformers' {@code last_hidden_state}.
     *
     * @param pixels (B, C, H, W), normalized; H and W at least p (a remainder below p is dropped, as
     *               the stride-p convolution does)
     * @return (B, 1 + T, D) in {@code pixels}' manager: token 0 is CLS, then the patches row-major
     */
    public NDArray forward(NDArray pixels) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != config.channels() || s.get(2) < config.patchSize()
                || s.get(3) < config.patchSize()) {
            throw new IllegalArgumentException("DINOv2 expects (B, " + config.channels() + ", H, W) with H, W >= "
                    + config.patchSize() + ", got " + s);
        }
        long b = s.get(0);
        int gh = (int) (s.get(2) / config.patchSize());
        int gw = (int) (s.get(3) / config.patchSize());
        int d = config.hidden();
        NDArray tokens;
        try (NDArray grid = patchEmbed.forward(pixels); // (B, D, gh, gw)
             NDArray flat = grid.reshape(b, d, (long) gh * gw)) { // (B, D, T)
            tokens = flat.transpose(0, 2, 1); // (B, T, D)
        }
        NDArray x;
        try (tokens; NDArray cls = clsToken.broadcast(b, 1, d)) { // (B, 1, D)
            x = cls.concat(tokens, 1); // (B, 1 + T, D)
        }
        x.addi(positionsFor(gh, gw, s.get(2) == s.get(3))); // (B, 1 + T, D)
        for (Dinov2Layer layer : layers) {
            x = layer.forwardClosing(x); // (B, 1 + T, D)
        }
        try (NDArray last = x) {
            return layerNorm.forward(last); // (B, 1 + T, D)
        }
    }

    /**
     * The clustering features of a batch: the CLS token and the mean of the patch tokens of the final
     * hidden state, each (B, D).
     *
     * @return {cls (B, D), meanPatch (B, D)} in {@code pixels}' manager
     */
    public NDArray[] features(NDArray pixels) {
        try (NDArray h = forward(pixels)) { // (B, 1 + T, D)
            NDArray cls = h.get(new NDIndex(":, 0, :")); // (B, D)
            try (NDArray patches = h.get(new NDIndex(":, 1:, :"))) { // (B, T, D)
                return new NDArray[] {cls, patches.mean(new int[] {1})}; // (B, D) each
            }
        }
    }

    /** The position table for a gh x gw grid: (1, 1 + gh*gw, D), the trained one or its bicubic resampling. */
    private NDArray positionsFor(int gh, int gw, boolean squareInput) {
        int g = config.grid();
        if (gh * gw == g * g && squareInput) {
            return positions;
        }
        return resampled.computeIfAbsent(((long) gh << 32) | gw, k -> {
            int d = config.hidden();
            float[] all = positions.toFloatArray(); // (1 + g*g) * D
            float[] patch = new float[g * g * d];
            System.arraycopy(all, d, patch, 0, patch.length);
            float[] resized = BicubicInterpolation.resize(patch, g, g, d, gh, gw); // (gh, gw, D)
            float[] table = new float[(1 + gh * gw) * d];
            System.arraycopy(all, 0, table, 0, d);
            System.arraycopy(resized, 0, table, d, resized.length);
            return manager.create(table, new Shape(1, 1 + (long) gh * gw, d)); // float32, the compute type
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
