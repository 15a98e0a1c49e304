package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static double[][] gaussian(int n, double[] mean, double[] std, long seed) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][mean.length];
        for (double[] row : x) {
            for (int j = 0; j < mean.length; j++) {
                row[j] = mean[j] + std[j] * rnd.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] diag(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            m[i][i] = v[i];
        }
        return m;
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        double[][] x = gaussian(500, new double[8], new double[] {1, 2, 3, 1, 1, 0.5, 2, 1}, 1);
        GaussianStats s = GaussianStats.of(x);
        assertEquals(0.0, FrechetDistance.between(s, s), 1e-8);
    }

    @Test
    void singularCovarianceOfIdenticalSetsStillGivesZero() {
        // 5 samples in 10 dimensions: a rank-4 covariance, where sqrtm of a near-singular matrix is fragile.
        double[][] x = gaussian(5, new double[10], new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2);
        GaussianStats s = GaussianStats.of(x);
        assertEquals(0.0, FrechetDistance.between(s, s), 1e-6);
    }

    @Test
    void shiftedGaussiansWithTheSameCovarianceGiveTheSquaredShift() {
        double[][] cov = {{2.0, 0.6, 0.0}, {0.6, 1.0, 0.3}, {0.0, 0.3, 0.5}};
        GaussianStats a = new GaussianStats(new double[] {0, 0, 0}, cov, 100);
        GaussianStats b = new GaussianStats(new double[] {1, -2, 0.5}, cov, 100);
        assertEquals(1 + 4 + 0.25, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void diagonalCovariancesMatchTheClosedForm() {
        // For diagonal covariances: d = |delta|^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2.
        double[] va = {1.0, 4.0, 0.25, 9.0};
        double[] vb = {4.0, 1.0, 1.0, 9.0};
        GaussianStats a = new GaussianStats(new double[] {0, 1, 0, 0}, diag(va), 100);
        GaussianStats b = new GaussianStats(new double[] {3, 1, 0, 0}, diag(vb), 100);
        double expected = 9 + 1 + 1 + 0.25 + 0;
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
        assertEquals(expected, FrechetDistance.between(b, a), 1e-9);
    }

    @Test
    void sampledShiftedGaussiansApproachTheClosedForm() {
        double[] std = {1, 1, 1, 1};
        double[][] x = gaussian(20_000, new double[] {0, 0, 0, 0}, std, 3);
        double[][] y = gaussian(20_000, new double[] {1, 0, -1, 0}, std, 4);
        // Sampling noise on 20k samples in 4-d: means within ~0.01, covariances within ~0.02.
        assertEquals(2.0, FrechetDistance.between(GaussianStats.of(x), GaussianStats.of(y)), 0.05);
    }

    @Test
    void mismatchedDimensionsAreRejected() {
        GaussianStats a = new GaussianStats(new double[2], diag(new double[] {1, 1}), 10);
        GaussianStats b = new GaussianStats(new double[3], diag(new double[] {1, 1, 1}), 10);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(a, b));
    }
}
