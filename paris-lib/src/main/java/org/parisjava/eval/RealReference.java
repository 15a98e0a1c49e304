package org.parisjava.eval;

import java.util.Arrays;
import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

/**
 * The real images' side of every quality metric, in one feature space: their features (N, D), a
 * PCA fitted on them, and their Gaussian statistics in the PCA space.
 *
 * <p>Why PCA: the Frechet distance estimates a D x D covariance from the generated images. With 128
 * images in a 128-dimensional space that covariance is barely estimated and the distance is
 * dominated by its sample-size bias, which differs between sets (docs/design.md, section 7). The
 * Frechet distance is therefore measured on the first {@code d} principal components of the real
 * features, with {@code d = n / }{@link #IMAGES_PER_DIMENSION} for {@code n} generated images (at most
 * {@link #MAX_DIMENSIONS}, at least 2): few enough parameters for the images to estimate. KID, which
 * has no such bias, and precision/recall use the full features.
 *
 * @param features   real reference features (N, D)
 * @param mean       the PCA's centre (D)
 * @param components the PCA's axes (d, D), largest variance first
 * @param projected  statistics of the projected reference (d)
 */
public record RealReference(float[][] features, double[] mean, double[][] components, GaussianStats projected) {
    /** Generated images per PCA dimension of the Frechet distance. */
    public static final int IMAGES_PER_DIMENSION = 8;
    /** Largest PCA dimension of the Frechet distance. */
    public static final int MAX_DIMENSIONS = 64;

    /** The PCA dimension used for {@code generated} images in a space of {@code featureDim}. */
    public static int fdDimensions(int generated, int featureDim) {
        return Math.max(2, Math.min(Math.min(featureDim, MAX_DIMENSIONS), generated / IMAGES_PER_DIMENSION));
    }

    /**
     * Fits the PCA on {@code real} features.
     *
     * @param real       real feature rows (N, D), N at least 3
     * @param dimensions components kept, in [1, D]
     */
    public static RealReference fit(float[][] real, int dimensions) {
        if (real.length < 3) {
            throw new IllegalArgumentException("A real reference needs at least 3 images, got " + real.length);
        }
        int d = real[0].length;
        if (dimensions < 1 || dimensions > d) {
            throw new IllegalArgumentException("Invalid PCA dimension " + dimensions + " for features of dimension " + d);
        }
        GaussianStats full = GaussianStats.of(real);
        Matrix cov = Matrix.of(full.cov());
        Matrix.EVD evd = cov.uplo(UPLO.LOWER).eigen(false, true, true); // (D, D), order not guaranteed: sorted here
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(evd.wr[b], evd.wr[a]));
        double[][] axes = new double[dimensions][d];
        for (int c = 0; c < dimensions; c++) {
            for (int j = 0; j < d; j++) {
                axes[c][j] = evd.Vr.get(j, order[c]);
            }
        }
        RealReference partial = new RealReference(real, full.mean(), axes, null);
        return new RealReference(real, full.mean(), axes, GaussianStats.of(partial.project(real)));
    }

    public RealReference {
        if (components.length == 0) {
            throw new IllegalArgumentException("A real reference needs at least one PCA component");
        }
    }

    /** The PCA dimension. */
    public int dimensions() {
        return components.length;
    }

    /** Rows (N, D) to PCA coordinates (N, d). */
    public double[][] project(float[][] rows) {
        int d = mean.length;
        double[][] out = new double[rows.length][components.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("Row " + i + " has " + rows[i].length + " features, the reference "
                        + d);
            }
            for (int c = 0; c < components.length; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (rows[i][j] - mean[j]) * components[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }

    /**
     * Every quality metric of {@code generated} (N, D) against this reference, with bootstrap intervals
     * of {@link BootstrapInterval#DEFAULT_RESAMPLES} resamples at 95%.
     *
     * <p>The Frechet distance's interval resamples the generated rows only (the reference statistics stay
     * fixed: they come from many more images). KID's resamples both sets; precision and recall compare
     * the generated rows with as many reference rows (the first ones), as their estimator assumes sets of
     * equal size.
     *
     * @param seed the resampling seed
     */
    public QualityMetrics measure(float[][] generated, long seed) {
        double[][] g = project(generated);
        BootstrapInterval fd = BootstrapInterval.ofIndices(g.length, 1,
                (ig, ignored) -> FrechetDistance.between(projected, GaussianStats.of(rows(g, ig))),
                BootstrapInterval.DEFAULT_RESAMPLES, BootstrapInterval.DEFAULT_LEVEL, seed);
        double fdFull = generated.length >= 2 ? FrechetDistance.between(GaussianStats.of(features), GaussianStats.of(generated))
                : Double.NaN;
        BootstrapInterval kid = KernelInceptionDistance.interval(features, generated, BootstrapInterval.DEFAULT_RESAMPLES,
                BootstrapInterval.DEFAULT_LEVEL, seed + 1);
        int n = Math.min(features.length, generated.length);
        double precision = Double.NaN;
        double recall = Double.NaN;
        if (n > PrecisionRecall.DEFAULT_K) {
            PrecisionRecall pr = PrecisionRecall.of(Arrays.copyOf(features, n), generated);
            precision = pr.precision();
            recall = pr.recall();
        }
        return new QualityMetrics(fd, dimensions(), fdFull, kid, precision, recall, generated.length);
    }

    private static double[][] rows(double[][] x, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }
}
