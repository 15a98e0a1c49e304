package org.parisjava.features;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.io.Json;
import smile.feature.extraction.PCA;
import smile.math.matrix.Matrix;

/**
 * PCA of pixels: the default feature extractor, fitted on a sample of images (pixels in [-1, 1]),
 * then a fixed linear map: {@code f = W (x - mean)}. The fitted map saves and loads, so samples
 * that arrive later are projected exactly as the fitting sample was.
 *
 * <p>Smile's PCA (covariance eigendecomposition) does the fitting; projection is plain Java so it
 * needs no native library at assignment time.
 */
public final class PcaFeatures implements FeatureExtractor {

    /** What {@link #save} writes. {@code components[d]} is the d-th principal axis over C*H*W pixels. */
    record State(int channels, int height, int width, float[] mean, float[][] components, double[] explainedVariance) {
    }

    private final State state;
    /** The components transposed, (P, D) row-major: projection becomes an AXPY per pixel, which the JIT vectorizes. */
    private final float[] weightsT;

    private PcaFeatures(State state) {
        this.state = state;
        int p = state.mean.length;
        int d = state.components.length;
        this.weightsT = new float[p * d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < p; j++) {
                weightsT[j * d + k] = state.components[k][j];
            }
        }
    }

    /**
     * Fits the PCA on {@code images} (all with the same shape).
     *
     * @throws IllegalArgumentException if there are fewer than 2 images, shapes differ, or
     *                                  {@code components} is not in [1, min(n, C*H*W)]
     */
    public static PcaFeatures fit(List<ImageU8> images, int components) {
        if (images.size() < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 images, got " + images.size());
        }
        ImageU8 first = images.get(0);
        ImageSpec spec = new ImageSpec(first.channels(), first.height(), first.width());
        int p = spec.numel();
        if (components < 1 || components > Math.min(images.size(), p)) {
            throw new IllegalArgumentException("Invalid number of PCA components: " + components
                    + " (must be in 1.." + Math.min(images.size(), p) + " for " + images.size() + " images of "
                    + p + " pixels)");
        }
        double[][] x = new double[images.size()][p]; // (N, P)
        float[] buf = new float[p];
        for (int i = 0; i < images.size(); i++) {
            ImageU8 img = images.get(i);
            if (!spec.matches(img)) {
                throw new IllegalArgumentException("Image " + i + " of the PCA sample has shape " + img.channels() + "x"
                        + img.height() + "x" + img.width() + ", expected " + spec.channels() + "x" + spec.height()
                        + "x" + spec.width());
            }
            img.toFloat(buf, 0);
            for (int j = 0; j < p; j++) {
                x[i][j] = buf[j];
            }
        }
        PCA pca = PCA.fit(x).getProjection(components);
        Matrix w = pca.projection; // (D, P)
        float[][] comps = new float[components][p];
        for (int d = 0; d < components; d++) {
            for (int j = 0; j < p; j++) {
                comps[d][j] = (float) w.get(d, j);
            }
        }
        double[] center = pca.center();
        float[] mean = new float[p];
        for (int j = 0; j < p; j++) {
            mean[j] = (float) center[j];
        }
        double[] prop = pca.varianceProportion();
        double[] explained = java.util.Arrays.copyOf(prop, Math.min(components, prop.length));
        return new PcaFeatures(new State(spec.channels(), spec.height(), spec.width(), mean, comps, explained));
    }

    @Override
    public float[][] extract(List<ImageU8> batch) {
        float[][] out = new float[batch.size()][]; // (B, D)
        // rows are independent, so the parallel result equals the sequential one
        IntStream.range(0, batch.size()).parallel().forEach(b -> out[b] = project(batch.get(b)));
        return out;
    }

    private float[] project(ImageU8 img) {
        if (img.channels() != state.channels || img.height() != state.height || img.width() != state.width) {
            throw new IllegalArgumentException("PCA was fitted on " + state.channels + "x" + state.height + "x"
                    + state.width + " images, got " + img.channels() + "x" + img.height() + "x" + img.width());
        }
        int p = state.mean.length;
        int d = dimension();
        float[] x = img.toFloat(); // (P)
        float[] f = new float[d]; // (D)
        for (int j = 0; j < p; j++) {
            float v = x[j] - state.mean[j];
            int off = j * d;
            for (int k = 0; k < d; k++) {
                f[k] += weightsT[off + k] * v;
            }
        }
        return f;
    }

    @Override
    public int dimension() {
        return state.components.length;
    }

    @Override
    public String name() {
        return "pca-" + dimension();
    }

    /** Fraction of the pixel variance each kept component explains (the fitting sample's). */
    public double[] explainedVariance() {
        return state.explainedVariance.clone();
    }

    public ImageSpec spec() {
        return new ImageSpec(state.channels, state.height, state.width);
    }

    /** Writes the fitted map as JSON, atomically. */
    public void save(Path file) {
        Json.write(file, state);
    }

    public static PcaFeatures load(Path file) {
        State s = Json.read(file, State.class);
        if (s.mean == null || s.components == null || s.components.length == 0) {
            throw new IllegalArgumentException("Not a PCA feature file: " + file);
        }
        for (int d = 0; d < s.components.length; d++) {
            if (s.components[d].length != s.mean.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "PCA file %s is damaged: component %d has %d values, mean has %d", file, d,
                        s.components[d].length, s.mean.length));
            }
        }
        return new PcaFeatures(s);
    }
}
