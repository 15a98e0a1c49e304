package org.parisjava.eval;

import java.util.Random;

/**
 * Kernel Inception Distance (KID): the squared maximum mean discrepancy between two feature sets
 * under the cubic polynomial kernel {@code k(x, y) = (x.y / D + 1)^3}, estimated without bias
 * (Binkowski, Sutherland, Arbel and Gretton 2018, "Demystifying MMD GANs", arXiv 1801.01401):
 *
 * <pre>
 *   MMD^2_u = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(n(n-1)) sum_{i != j} k(y_i, y_j)
 *             - 2/(m n) sum_{i, j} k(x_i, y_j)
 * </pre>
 *
 * <p>Unlike the Frechet distance it has no bias that depends on the sample size, so it stays
 * meaningful when there are fewer images than feature dimensions; it can be slightly negative
 * when the two sets come from the same distribution. As in the reference implementations
 * (the paper's code, torch-fidelity, clean-fid), large sets are compared as the mean over random
 * subsets of {@link #DEFAULT_SUBSET_SIZE} rows of each; sets no larger than that are compared
 * whole. Features are (N, D) rows; values are reported as is (the papers often print KID x 1000).
 */
public final class KernelInceptionDistance {
    /** Subset size of the reference implementations. */
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    /** Number of subsets of the reference implementations. */
    public static final int DEFAULT_SUBSETS = 100;

    private KernelInceptionDistance() {
    }

    /** The unbiased MMD^2 between all of {@code x} (M, D) and all of {@code y} (N, D); M, N >= 2. */
    public static double between(float[][] x, float[][] y) {
        int[] all1 = range(x.length);
        int[] all2 = range(y.length);
        return mmd2(x, all1, y, all2);
    }

    /**
     * KID as the reference implementations report it: the mean of the unbiased MMD^2 over
     * {@code subsets} random subsets of {@code min(subsetSize, M, N)} rows of each set (drawn
     * without replacement within a subset), or over the whole sets when both fit in one subset.
     *
     * @param seed the subsets' random seed
     */
    public static double mean(float[][] x, float[][] y, int subsetSize, int subsets, long seed) {
        checkSets(x, y);
        int size = Math.min(subsetSize, Math.min(x.length, y.length));
        if (size >= x.length && size >= y.length) {
            return between(x, y);
        }
        Random rng = new Random(seed);
        double sum = 0;
        for (int s = 0; s < subsets; s++) {
            sum += mmd2(x, sample(x.length, size, rng), y, sample(y.length, size, rng));
        }
        return sum / subsets;
    }

    /**
     * The unbiased MMD^2 between rows {@code ix} of {@code x} and rows {@code iy} of {@code y}.
     * Index lists may repeat an index (a bootstrap resample): pairs of the same original row are
     * then left out of the within-set sums, which keeps the estimator free of the k(x, x) terms
     * that would otherwise bias it upwards.
     */
    static double mmd2(float[][] x, int[] ix, float[][] y, int[] iy) {
        checkSets(x, y);
        if (ix.length < 2 || iy.length < 2) {
            throw new IllegalArgumentException("KID needs at least 2 rows per set, got " + ix.length + " and " + iy.length);
        }
        int d = x[0].length;
        return withinMean(x, ix, d) + withinMean(y, iy, d) - 2 * crossMean(x, ix, y, iy, d);
    }

    /** Mean kernel over pairs of distinct original rows of one set. */
    private static double withinMean(float[][] x, int[] ix, int d) {
        double sum = 0;
        long pairs = 0;
        for (int a = 0; a < ix.length; a++) {
            for (int b = a + 1; b < ix.length; b++) {
                if (ix[a] != ix[b]) {
                    sum += kernel(x[ix[a]], x[ix[b]], d);
                    pairs++;
                }
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("KID needs at least 2 distinct rows per set");
        }
        return sum / pairs;
    }

    private static double crossMean(float[][] x, int[] ix, float[][] y, int[] iy, int d) {
        double sum = 0;
        for (int a : ix) {
            for (int b : iy) {
                sum += kernel(x[a], y[b], d);
            }
        }
        return sum / ((double) ix.length * iy.length);
    }

    /**
     * KID over the whole sets with a percentile bootstrap interval: rows of each set are resampled
     * with replacement, and each resample's statistic leaves out pairs of the same original row.
     */
    public static BootstrapInterval interval(float[][] x, float[][] y, int resamples, double level, long seed) {
        checkSets(x, y);
        int d = x[0].length;
        double[][] kxx = gram(x, x, d); // (M, M)
        double[][] kyy = gram(y, y, d); // (N, N)
        double[][] kxy = gram(x, y, d); // (M, N)
        return BootstrapInterval.ofIndices(x.length, y.length,
                (ix, iy) -> withinMean(kxx, ix) + withinMean(kyy, iy) - 2 * crossMean(kxy, ix, iy),
                resamples, level, seed);
    }

    /** Kernel values of every pair of rows, computed once so that each resample only sums them. */
    private static double[][] gram(float[][] a, float[][] b, int d) {
        double[][] k = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                k[i][j] = a == b && j < i ? k[j][i] : kernel(a[i], b[j], d);
            }
        }
        return k;
    }

    private static double withinMean(double[][] k, int[] ix) {
        double sum = 0;
        long pairs = 0;
        for (int a = 0; a < ix.length; a++) {
            double[] row = k[ix[a]];
            for (int b = a + 1; b < ix.length; b++) {
                if (ix[a] != ix[b]) {
                    sum += row[ix[b]];
                    pairs++;
                }
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("KID needs at least 2 distinct rows per set");
        }
        return sum / pairs;
    }

    private static double crossMean(double[][] k, int[] ix, int[] iy) {
        double sum = 0;
        for (int a : ix) {
            double[] row = k[a];
            for (int b : iy) {
                sum += row[b];
            }
        }
        return sum / ((double) ix.length * iy.length);
    }

    /** {@code (x.y / D + 1)^3}, the kernel of arXiv 1801.01401. */
    static double kernel(float[] a, float[] b, int d) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
            dot += (double) a[j] * b[j];
        }
        double base = dot / d + 1.0;
        return base * base * base;
    }

    private static void checkSets(float[][] x, float[][] y) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("KID of an empty feature set");
        }
        if (x[0].length != y[0].length) {
            throw new IllegalArgumentException("Feature dimensions differ: " + x[0].length + " vs " + y[0].length);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** {@code k} distinct indices of {@code [0, n)} (partial Fisher-Yates). */
    static int[] sample(int n, int k, Random rng) {
        int[] perm = range(n);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return java.util.Arrays.copyOf(perm, k);
    }
}
