package org.parisjava.features;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.io.Json;
import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

/**
 * PCA of pixels: the default feature extractor, fitted on a sample of images (pixels in [-1, 1]),
 * then a fixed linear map: {@code f = W (x - mean)}. The fitted map saves and loads, so samples
 * that arrive later are projected exactly as the fitting sample was.
 *
 * <p>Fitting is a covariance eigendecomposition (the covariance in vectorized Java, the
 * eigenvectors from Smile's LAPACK binding); projection is plain Java so it
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
        int n = images.size();
        float[][] x = new float[n][]; // (N, P)
        double[] mean = new double[p];
        for (int i = 0; i < n; i++) {
            ImageU8 img = images.get(i);
            if (!spec.matches(img)) {
                throw new IllegalArgumentException("Image " + i + " of the PCA sample has shape " + img.channels() + "x"
                        + img.height() + "x" + img.width() + ", expected " + spec.channels() + "x" + spec.height()
                        + "x" + spec.width());
            }
            x[i] = img.toFloat();
            for (int j = 0; j < p; j++) {
                mean[j] += x[i][j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        double[] cov = covariance(x, mean); // (P, P), upper triangle
        // Smile's symmetric eigendecomposition (LAPACK syevd through OpenBLAS), largest eigenvalues first
        Matrix c = new Matrix(p, p);
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double v = cov[a * p + b] / (n - 1);
                c.set(a, b, v);
                c.set(b, a, v);
            }
        }
        c.uplo(UPLO.LOWER);
        Matrix.EVD evd = c.eigen(false, true, true).sort();
        double totalVariance = 0;
        for (double w : evd.wr) {
            totalVariance += Math.max(0, w);
        }
        float[][] comps = new float[components][p]; // (D, P)
        double[] explained = new double[components];
        for (int d = 0; d < components; d++) {
            for (int j = 0; j < p; j++) {
                comps[d][j] = (float) evd.Vr.get(j, d);
            }
            explained[d] = Math.max(0, evd.wr[d]) / totalVariance;
        }
        float[] meanF = new float[p];
        for (int j = 0; j < p; j++) {
            meanF[j] = (float) mean[j];
        }
        return new PcaFeatures(new State(spec.channels(), spec.height(), spec.width(), meanF, comps, explained));
    }

    /**
     * Sum of (x - mean)(x - mean)^T over the rows, upper triangle, row-major (P, P). Written as
     * rank-1 AXPY updates, which the JIT vectorizes (Smile's covariance is a scalar triple loop);
     * two halves of the rows accumulate separately and are added in a fixed order, so the result
     * does not depend on threads.
     */
    private static double[] covariance(float[][] x, double[] mean) {
        int p = mean.length;
        int n = x.length;
        int parts = 2;
        double[][] partial = new double[parts][];
        IntStream.range(0, parts).parallel().forEach(part -> {
            double[] acc = new double[p * p];
            double[] v = new double[p];
            for (int i = part * n / parts; i < (part + 1) * n / parts; i++) {
                for (int j = 0; j < p; j++) {
                    v[j] = x[i][j] - mean[j];
                }
                for (int a = 0; a < p; a++) {
                    double va = v[a];
                    int off = a * p;
                    for (int b = a; b < p; b++) {
                        acc[off + b] += va * v[b];
                    }
                }
            }
            partial[part] = acc;
        });
        double[] cov = partial[0];
        for (int q = 1; q < parts; q++) {
            for (int j = 0; j < cov.length; j++) {
                cov[j] += partial[q][j];
            }
        }
        return cov;
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
