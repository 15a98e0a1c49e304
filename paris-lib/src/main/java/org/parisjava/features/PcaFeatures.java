package org.parisjava.features;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.io.Json;
import org.parisjava.run.OpenBlas;
import smile.math.blas.BLAS;
import smile.math.blas.EVDJob;
import smile.math.blas.EigenRange;
import smile.math.blas.LAPACK;
import smile.math.blas.Layout;
import smile.math.blas.Transpose;
import smile.math.blas.UPLO;

/**
 * PCA of pixels: the default feature extractor, fitted on a sample of images (pixels in [-1, 1]),
 * then a fixed linear map: {@code f = W (x - mean)}. The fitted map saves and loads, so samples
 * that arrive later are projected exactly as the fitting sample was.
 *
 * <p>Fitting is one covariance GEMM (single precision, OpenBLAS through Smile's binding) and one
 * symmetric eigendecomposition of only the kept eigenpairs (LAPACK syevr, double precision);
 * projection is one GEMM per batch. Component signs are fixed (largest loading positive).
 */
public final class PcaFeatures implements FeatureExtractor {

    /** What {@link #save} writes. {@code components[d]} is the d-th principal axis over C*H*W pixels. */
    record State(int channels, int height, int width, float[] mean, float[][] components, double[] explainedVariance) {
    }

    private final State state;
    /** The components transposed, (P, D) row-major: projection becomes an AXPY per pixel, which the JIT vectorizes. */
    private final double[] weightsT;
    /** {@code W mean}, (D): subtracted after the GEMM so the pixels need no centring pass. */
    private final double[] projectedMean;
    /**
     * Rows per projection GEMM. Every GEMM has exactly this many rows (the last one zero-padded), so
     * OpenBLAS takes the same kernel path whatever the batch size; the GEMM runs in double precision
     * and rounds to float once, so an image's features do not depend on the batch it came in (a
     * single-precision GEMM differed in the last bit between batches).
     */
    private static final int ROWS_PER_GEMM = 256;
    /** The most floats a direct buffer holds (2 GiB). */
    private static final long MAX_DIRECT_FLOATS = Integer.MAX_VALUE / Float.BYTES;
    /** Direct buffers of the projection GEMM, which OpenBLAS reads in place ({@link OpenBlas}); made on first use. */
    private DoubleBuffer scratchX;
    private DoubleBuffer scratchF;
    private DoubleBuffer weightsTBuf;
    /** Pixel byte to [-1, 1], as {@link ImageU8#toFloat} (the same float value, widened). */
    private static final double[] TO_DOUBLE = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            TO_DOUBLE[v] = v / 127.5f - 1f;
        }
    }

    private PcaFeatures(State state) {
        this.state = state;
        int p = state.mean.length;
        int d = state.components.length;
        this.weightsT = new double[p * d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < p; j++) {
                weightsT[j * d + k] = state.components[k][j];
            }
        }
        this.projectedMean = new double[d];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += (double) state.components[k][j] * state.mean[j];
            }
            projectedMean[k] = s;
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
        float[] x = new float[n * p]; // (N, P) row-major
        for (int i = 0; i < n; i++) {
            ImageU8 img = images.get(i);
            if (!spec.matches(img)) {
                throw new IllegalArgumentException("Image " + i + " of the PCA sample has shape " + img.channels() + "x"
                        + img.height() + "x" + img.width() + ", expected " + spec.channels() + "x" + spec.height()
                        + "x" + spec.width());
            }
            img.toFloat(x, i * p);
        }
        double[] mean = new double[p];
        for (int i = 0; i < n; i++) {
            int off = i * p;
            for (int j = 0; j < p; j++) {
                mean[j] += x[off + j];
            }
        }
        float[] meanF = new float[p];
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
            meanF[j] = (float) mean[j];
        }
        for (int i = 0; i < n; i++) {
            int off = i * p;
            for (int j = 0; j < p; j++) {
                x[off + j] -= meanF[j];
            }
        }
        // covariance (P, P) = Xc^T Xc / (N - 1): one single-precision GEMM through OpenBLAS
        float[] covF = new float[p * p];
        if ((long) n * p <= MAX_DIRECT_FLOATS && (long) p * p <= MAX_DIRECT_FLOATS) {
            // in place on direct buffers (an array argument is copied in and out, here twice)
            FloatBuffer xb = OpenBlas.floats((long) n * p).put(0, x);
            FloatBuffer cb = OpenBlas.floats((long) p * p);
            BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.TRANSPOSE, Transpose.NO_TRANSPOSE, p, p, n,
                    1f / (n - 1), xb, p, xb, p, 0f, cb, p);
            cb.get(0, covF);
        } else {
            BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.TRANSPOSE, Transpose.NO_TRANSPOSE, p, p, n,
                    1f / (n - 1), x, p, x, p, 0f, covF, p);
        }
        double[] cov = new double[p * p];
        double totalVariance = 0; // the trace: the sum of all eigenvalues
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                // symmetrize: the GEMM's two triangles differ in rounding only
                cov[a * p + b] = 0.5 * ((double) covF[a * p + b] + covF[b * p + a]);
            }
            totalVariance += Math.max(0, cov[a * p + a]);
        }
        // the top `components` eigenpairs only (LAPACK syevr, index range), ascending
        double[] w = new double[p];
        double[] z = new double[p * components]; // (P, D) row-major
        int[] m = new int[1];
        int[] support = new int[2 * components];
        int info = LAPACK.engine.syevr(Layout.ROW_MAJOR, EVDJob.VECTORS, EigenRange.INDEX, UPLO.LOWER, p, cov, p,
                0, 0, p - components + 1, p, 0, m, w, z, components, support);
        if (info != 0 || m[0] != components) {
            throw new IllegalStateException("PCA eigendecomposition failed (LAPACK syevr info " + info + ", "
                    + m[0] + " of " + components + " eigenpairs)");
        }
        float[][] comps = new float[components][p]; // (D, P), largest eigenvalue first
        double[] explained = new double[components];
        for (int d = 0; d < components; d++) {
            int col = components - 1 - d;
            // sign convention: the largest-magnitude loading is positive, so refits agree
            int arg = 0;
            for (int j = 1; j < p; j++) {
                if (Math.abs(z[j * components + col]) > Math.abs(z[arg * components + col])) {
                    arg = j;
                }
            }
            double sign = z[arg * components + col] < 0 ? -1 : 1;
            for (int j = 0; j < p; j++) {
                comps[d][j] = (float) (sign * z[j * components + col]);
            }
            explained[d] = Math.max(0, w[col]) / totalVariance;
        }
        return new PcaFeatures(new State(spec.channels(), spec.height(), spec.width(), meanF, comps, explained));
    }

    /**
     * Projects a batch: one GEMM {@code (B, P) x (P, D)} through OpenBLAS, minus {@code W mean}.
     *
     * @return (B, D) features
     * @throws IllegalArgumentException if an image's shape differs from the fitting sample's
     */
    @Override
    public synchronized float[][] extract(List<ImageU8> batch) {
        int b = batch.size();
        int p = state.mean.length;
        int d = dimension();
        if (scratchX == null) {
            scratchX = OpenBlas.doubles((long) ROWS_PER_GEMM * p);
            scratchF = OpenBlas.doubles((long) ROWS_PER_GEMM * d);
            weightsTBuf = OpenBlas.doubles((long) p * d).put(0, weightsT);
        }
        float[][] out = new float[b][]; // (B, D)
        double[] x = new double[ROWS_PER_GEMM * p]; // (ROWS_PER_GEMM, P), zero rows past the batch
        double[] f = new double[ROWS_PER_GEMM * d]; // (ROWS_PER_GEMM, D)
        for (int start = 0; start < b; start += ROWS_PER_GEMM) {
            int rows = Math.min(ROWS_PER_GEMM, b - start);
            if (rows < ROWS_PER_GEMM) {
                java.util.Arrays.fill(x, rows * p, x.length, 0.0);
            }
            for (int i = 0; i < rows; i++) {
                ImageU8 img = batch.get(start + i);
                if (img.channels() != state.channels || img.height() != state.height || img.width() != state.width) {
                    throw new IllegalArgumentException("PCA was fitted on " + state.channels + "x" + state.height + "x"
                            + state.width + " images, got " + img.channels() + "x" + img.height() + "x" + img.width()
                            + " (item " + (start + i) + " of the batch)");
                }
                byte[] px = img.chw();
                int off = i * p;
                for (int j = 0; j < p; j++) {
                    x[off + j] = TO_DOUBLE[px[j] & 0xFF];
                }
            }
            scratchX.put(0, x);
            BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, ROWS_PER_GEMM, d, p, 1.0,
                    scratchX, p, weightsTBuf, d, 0.0, scratchF, d);
            scratchF.get(0, f);
            for (int i = 0; i < rows; i++) {
                float[] row = new float[d];
                for (int k = 0; k < d; k++) {
                    row[k] = (float) (f[i * d + k] - projectedMean[k]);
                }
                out[start + i] = row;
            }
        }
        return out;
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
