package org.parisjava.features;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.parisjava.data.ImageU8;
import org.parisjava.vision.Dinov2Model;

/**
 * DINOv2 features read straight from a transformers folder (facebook/dinov2-large, the paper's
 * clustering features, arXiv 2510.03434), run in Java by {@link Dinov2Model}: no export step.
 *
 * <p>Each image is resized (bilinear) to a square input side, grey images repeated to three
 * channels, pixels normalized with the ImageNet mean and std DINOv2 was trained with; the feature is
 * the CLS token of the final hidden state (D = 1024 for ViT-L/14), the mean of its patch tokens, or
 * both concatenated (2D). Batches run {@code slice} images at a time: a ViT-L/14 batch at 224 px
 * holds about 1 GiB of activations per 32 images.
 */
public final class HfDinov2Features implements FeatureExtractor {

    /** Which tokens of the final hidden state make the feature. */
    public enum Pooling {
        /** The CLS token, transformers' {@code pooler_output} (D values). */
        CLS,
        /** The mean of the patch tokens (D values). */
        MEAN_PATCH,
        /** CLS then the patch mean (2D values), as DINOv2's linear probes use them. */
        CLS_AND_MEAN_PATCH
    }

    private final Path dir;
    private final NDManager manager;
    private final Dinov2Model model;
    private final int inputSize;
    private final ImageNormalization normalization;
    private final Pooling pooling;
    private final int slice;

    private HfDinov2Features(Builder b, NDManager manager, Dinov2Model model) {
        this.dir = b.dir;
        this.manager = manager;
        this.model = model;
        this.inputSize = b.inputSize;
        this.normalization = b.normalization;
        this.pooling = b.pooling;
        this.slice = b.slice;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Dinov2Model model() {
        return model;
    }

    @Override
    public float[][] extract(List<ImageU8> batch) {
        int d = dimension();
        float[][] out = new float[batch.size()][]; // (B, D)
        int c = model.config().channels();
        int per = c * inputSize * inputSize;
        for (int start = 0; start < batch.size(); start += slice) {
            int n = Math.min(slice, batch.size() - start);
            float[] x = new float[n * per]; // (n, C, S, S)
            for (int i = 0; i < n; i++) {
                ModelInput.write(batch.get(start + i), c, inputSize, inputSize, normalization, x, i * per, dir.toString());
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray pixels = scope.create(x, new Shape(n, c, inputSize, inputSize)); // (n, C, S, S)
                NDArray[] f = model.features(pixels); // CLS (n, D), mean patch (n, D)
                NDArray pooled = switch (pooling) {
                    case CLS -> f[0];
                    case MEAN_PATCH -> f[1];
                    case CLS_AND_MEAN_PATCH -> f[0].concat(f[1], 1); // (n, 2D)
                };
                float[] flat = pooled.toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[start + i] = new float[d];
                    System.arraycopy(flat, i * d, out[start + i], 0, d);
                }
            }
        }
        return out;
    }

    @Override
    public int dimension() {
        int h = model.config().hidden();
        return pooling == Pooling.CLS_AND_MEAN_PATCH ? 2 * h : h;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "hf:%s(dinov2, %d layers, D %d, input %d, %s)", dir.getFileName(),
                model.config().layers(), model.config().hidden(), inputSize, pooling.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }

    /** Builder: {@code setFolder} is required; input 224 px, ImageNet normalization, CLS pooling, slices of 32. */
    public static final class Builder {
        private Path dir;
        private int inputSize = 224;
        private ImageNormalization normalization = ImageNormalization.IMAGENET;
        private Pooling pooling = Pooling.CLS;
        private int slice = 32;

        /** A transformers DINOv2 folder (config.json + model.safetensors). */
        public Builder setFolder(Path dir) {
            this.dir = dir;
            return this;
        }

        /** The square input side in pixels; at least the patch size (DINOv2's evaluations use 224). */
        public Builder optInputSize(int side) {
            this.inputSize = side;
            return this;
        }

        public Builder optNormalization(ImageNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Images per forward pass. */
        public Builder optSlice(int slice) {
            this.slice = slice;
            return this;
        }

        /**
         * Loads the folder.
         *
         * @throws IllegalArgumentException naming the folder (and tensor) when it is not a complete
         *                                  DINOv2, or the input side is smaller than a patch
         */
        public HfDinov2Features build() {
            if (dir == null) {
                throw new IllegalArgumentException("HfDinov2Features needs a model folder");
            }
            if (slice < 1 || pooling == null || normalization == null) {
                throw new IllegalArgumentException("Invalid DINOv2 feature settings: slice " + slice + ", pooling "
                        + pooling);
            }
            NDManager m = ComputeDevice.newManager();
            try {
                Dinov2Model model = Dinov2Model.load(dir, m);
                if (inputSize < model.config().patchSize()) {
                    throw new IllegalArgumentException("Input side " + inputSize + " is smaller than the patch size "
                            + model.config().patchSize() + " of " + dir);
                }
                normalization.checkChannels(model.config().channels());
                return new HfDinov2Features(this, m, model);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }
}
