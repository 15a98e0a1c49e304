package org.parisjava.eval;

import smile.math.matrix.Matrix;

/**
 * Mean and covariance of a set of feature vectors (N, D), in double precision; the covariance uses
 * the unbiased N - 1 denominator, as numpy's {@code cov} and hence pytorch-fid do. Saved next to a
 * run so the reference statistics of the real data are computed once.
 */
public record GaussianStats(double[] mean, double[][] cov, long count) {
    public GaussianStats {
        int d = mean.length;
        if (cov.length != d) {
            throw new IllegalArgumentException("Covariance is " + cov.length + " x ? for a mean of dimension " + d);
        }
        for (int i = 0; i < d; i++) {
            if (cov[i].length != d) {
                throw new IllegalArgumentException("Covariance row " + i + " has " + cov[i].length + " columns, expected "
                        + d);
            }
        }
        if (count < 2) {
            throw new IllegalArgumentException("Gaussian statistics need at least 2 samples, got " + count);
        }
    }

    public int dim() {
        return mean.length;
    }

    /** Statistics of feature rows (N, D). */
    public static GaussianStats of(float[][] features) {
        double[][] x = new double[features.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[features[i].length];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = features[i][j];
            }
        }
        return of(x);
    }

    /** Statistics of feature rows (N, D). */
    public static GaussianStats of(double[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("Gaussian statistics need at least 2 feature rows, got " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("Ragged features at row " + i + ": " + features[i].length
                        + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += features[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        Matrix centered = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centered.set(i, j, features[i][j] - mean[j]);
            }
        }
        double[][] cov = centered.ata().mul(1.0 / (n - 1)).toArray(); // (D, D) through BLAS
        return new GaussianStats(mean, cov, n);
    }
}
