package org.parisjava.cluster;

import java.util.Random;

/**
 * Weighted k-means for the coarse step: a few hundred or thousand fine centroids, each with a
 * weight (its size, or 1). Small enough that plain Lloyd iterations with k-means++ restarts cost
 * milliseconds, and written here because Smile's KMeans takes no weights.
 *
 * <p>An empty cluster during the iterations is re-seeded at the point that contributes most
 * to the distortion (weight times squared distance), so K clusters always come out non-empty
 * when there are at least K distinct points.
 */
final class WeightedKMeans {

    /** Labels (N) and centroids (K, D) of one fit, and its weighted distortion. */
    record Fit(int[] labels, double[][] centroids, double distortion) {
    }

    private WeightedKMeans() {
    }

    static Fit fit(double[][] x, double[] w, int k, int maxIterations, int restarts, long seed) {
        if (x.length < k) {
            throw new IllegalArgumentException("Cannot make " + k + " clusters from " + x.length + " points");
        }
        Fit best = null;
        for (int r = 0; r < restarts; r++) {
            Fit f = lloyd(x, w, seedCentroids(x, w, k, new Random(seed * 1_000_003L + r)), maxIterations);
            if (best == null || f.distortion < best.distortion) {
                best = f;
            }
        }
        return best;
    }

    /** k-means++: the first centre drawn by weight, the next ones by weight times squared distance. */
    static double[][] seedCentroids(double[][] x, double[] w, int k, Random rng) {
        int n = x.length;
        double[][] c = new double[k][];
        double[] d2 = new double[n];
        java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
        int next = draw(w, null, rng);
        for (int j = 0; j < k; j++) {
            c[j] = x[next].clone();
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], squared(x[i], c[j]));
            }
            if (j + 1 < k) {
                next = draw(w, d2, rng);
            }
        }
        return c;
    }

    private static int draw(double[] w, double[] d2, Random rng) {
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            total += w[i] * (d2 == null ? 1 : d2[i]);
        }
        if (!(total > 0)) {
            // all remaining points coincide with a centre: any point will do
            return rng.nextInt(w.length);
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i] * (d2 == null ? 1 : d2[i]);
            if (u <= 0) {
                return i;
            }
        }
        return w.length - 1;
    }

    static Fit lloyd(double[][] x, double[] w, double[][] centroids, int maxIterations) {
        int n = x.length;
        int k = centroids.length;
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        for (int it = 0; it < maxIterations; it++) {
            boolean changed = assign(x, centroids, labels);
            if (!changed && it > 0) {
                break;
            }
            centroids = means(x, w, labels, k, centroids);
        }
        assign(x, centroids, labels);
        return new Fit(labels, centroids, distortion(x, w, labels, centroids));
    }

    /** Nearest-centroid labels; true when any label changed. */
    static boolean assign(double[][] x, double[][] c, int[] labels) {
        boolean changed = false;
        for (int i = 0; i < x.length; i++) {
            int l = nearest(x[i], c);
            if (l != labels[i]) {
                labels[i] = l;
                changed = true;
            }
        }
        return changed;
    }

    static int nearest(double[] p, double[][] c) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            double d = squared(p, c[j]);
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        return best;
    }

    /** Weighted means of each label's points; an empty cluster takes the worst-served point. */
    static double[][] means(double[][] x, double[] w, int[] labels, int k, double[][] previous) {
        int d = x[0].length;
        double[][] sum = new double[k][d];
        double[] mass = new double[k];
        for (int i = 0; i < x.length; i++) {
            mass[labels[i]] += w[i];
            for (int j = 0; j < d; j++) {
                sum[labels[i]][j] += w[i] * x[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (mass[c] > 0) {
                for (int j = 0; j < d; j++) {
                    sum[c][j] /= mass[c];
                }
            } else {
                int worst = 0;
                double worstCost = -1;
                for (int i = 0; i < x.length; i++) {
                    double cost = w[i] * squared(x[i], previous[labels[i]]);
                    if (cost > worstCost) {
                        worstCost = cost;
                        worst = i;
                    }
                }
                sum[c] = x[worst].clone();
                labels[worst] = c;
            }
        }
        return sum;
    }

    static double distortion(double[][] x, double[] w, int[] labels, double[][] c) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += w[i] * squared(x[i], c[labels[i]]);
        }
        return s;
    }

    static double squared(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }
}
