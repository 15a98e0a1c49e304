package org.parisjava.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import smile.clustering.KMeans;
import smile.math.MathEx;

/**
 * Two-stage k-means (Paris section 3, DDM): k-means to F fine clusters over the features, then
 * k-means over the F fine centroids to K coarse clusters, optionally size-balanced (see
 * {@link Balancing}). Deterministic: the fine stage is {@link LloydKMeans} (k-means++ seeding from
 * a generator seeded with {@link ClusteringOptions#seed()}, vectorized Lloyd iterations) or, on
 * request, Smile's KMeans with Smile's per-thread generator seeded right before the call; the
 * coarse stage is a weighted k-means with its own seeded generator and k-means++ restarts.
 *
 * <p>Fine clusters that end up empty (possible when the data has fewer distinct points than F)
 * are dropped before the coarse step, with a warning; a coarse cluster that ends up empty is an
 * error that names it, since an expert without data cannot train.
 */
public final class TwoStageKMeans {
    private static final Logger LOG = LoggerFactory.getLogger(TwoStageKMeans.class);

    private TwoStageKMeans() {
    }

    /**
     * Fits both stages on {@code features} (N, D) in single precision: the default fine engine runs
     * on the rows as they are (no double copy), and its final labels give the fine sizes.
     *
     * @throws IllegalArgumentException on ragged or non-finite input, or fewer samples than fine clusters
     * @throws IllegalStateException    if a coarse cluster ends up empty
     */
    public static Clustering fit(float[][] features, ClusteringOptions options) {
        if (options.fineEngine() == ClusteringOptions.FineEngine.SMILE || options.fineClusters() == 1) {
            double[][] x = new double[features.length][];
            for (int i = 0; i < features.length; i++) {
                x[i] = new double[features[i].length];
                for (int j = 0; j < x[i].length; j++) {
                    x[i][j] = features[i][j];
                }
            }
            return fit(x, options);
        }
        int n = features.length;
        int fine = options.fineClusters();
        if (n < fine) {
            throw new IllegalArgumentException("Need at least " + fine + " samples for " + fine + " fine clusters, got " + n);
        }
        int d = features[0].length;
        IntStream.range(0, n).parallel().forEach(i -> {
            if (features[i].length != d) {
                throw new IllegalArgumentException("Ragged features at row " + i + ": " + features[i].length
                        + " values, row 0 has " + d);
            }
            for (float v : features[i]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Non-finite feature value at row " + i);
                }
            }
        });
        LloydKMeans.Fit fit = LloydKMeans.fit(features, fine, options.maxIterations(), options.tolerance(),
                options.seed());
        return coarse(n, d, fit.centroids(), fit.labels(), options);
    }

    /**
     * Fits both stages on {@code features} (N, D).
     *
     * @throws IllegalArgumentException on ragged or non-finite input, or fewer samples than fine clusters
     * @throws IllegalStateException    if a coarse cluster ends up empty
     */
    public static Clustering fit(double[][] features, ClusteringOptions options) {
        int n = features.length;
        int fine = options.fineClusters();
        if (n < fine) {
            throw new IllegalArgumentException("Need at least " + fine + " samples for " + fine + " fine clusters, got " + n);
        }
        int d = features[0].length;
        for (int i = 0; i < n; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("Ragged features at row " + i + ": " + features[i].length
                        + " values, row 0 has " + d);
            }
            for (double v : features[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Non-finite feature value at row " + i);
                }
            }
        }
        double[][] centroids = fineStage(features, options); // (F, D)
        int[] labels = nearestAll(features, centroids); // (N)
        return coarse(n, d, centroids, labels, options);
    }

    /** The coarse stage over the fine centroids (F, D), weighted by the fine sizes from {@code labels} (N). */
    private static Clustering coarse(int n, int d, double[][] centroids, int[] labels, ClusteringOptions options) {
        long[] sizes = new long[centroids.length];
        for (int l : labels) {
            sizes[l]++;
        }
        // drop empty fine clusters: they would be coarse-step points with zero weight
        List<Integer> kept = new ArrayList<>();
        for (int f = 0; f < sizes.length; f++) {
            if (sizes[f] > 0) {
                kept.add(f);
            }
        }
        if (kept.size() < sizes.length) {
            LOG.warn("{} of {} fine clusters are empty and were dropped", sizes.length - kept.size(), sizes.length);
            double[][] c2 = new double[kept.size()][];
            long[] s2 = new long[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                c2[i] = centroids[kept.get(i)];
                s2[i] = sizes[kept.get(i)];
            }
            centroids = c2;
            sizes = s2;
        }
        int k = options.coarseClusters();
        if (centroids.length < k) {
            throw new IllegalArgumentException("Only " + centroids.length + " non-empty fine clusters for K = " + k
                    + " coarse clusters (too few distinct samples?)");
        }
        int[] fineToCoarse = coarseStage(centroids, sizes, n, options);
        long[] coarseSizes = new long[k];
        double[][] coarse = new double[k][d]; // (K, D): size-weighted mean of its fine centroids
        for (int f = 0; f < centroids.length; f++) {
            int c = fineToCoarse[f];
            coarseSizes[c] += sizes[f];
            for (int j = 0; j < d; j++) {
                coarse[c][j] += sizes[f] * centroids[f][j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (coarseSizes[c] == 0) {
                throw new IllegalStateException("Coarse cluster " + c + " is empty after the coarse step (K = " + k
                        + ", " + centroids.length + " fine clusters); try a smaller K or more fine clusters");
            }
            for (int j = 0; j < d; j++) {
                coarse[c][j] /= coarseSizes[c];
            }
        }
        LOG.info("two-stage k-means: N={} D={} fine={} K={} balancing={} sizes={}", n, d, centroids.length, k,
                options.balancing(), Arrays.toString(coarseSizes));
        return new Clustering(d, centroids, fineToCoarse, coarse, sizes, coarseSizes, options);
    }

    private static double[][] fineStage(double[][] x, ClusteringOptions o) {
        if (o.fineClusters() == 1) {
            double[] mean = new double[x[0].length];
            for (double[] row : x) {
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += row[j] / x.length;
                }
            }
            return new double[][] {mean};
        }
        if (o.fineEngine() == ClusteringOptions.FineEngine.SMILE) {
            // Smile draws its k-means++ seeds from MathEx's per-thread generator: seed it on this thread
            MathEx.setSeed(o.seed());
            KMeans km = KMeans.fit(x, o.fineClusters(), o.maxIterations(), o.tolerance());
            double[][] c = new double[km.centroids.length][];
            for (int i = 0; i < c.length; i++) {
                c[i] = km.centroids[i].clone();
            }
            return c;
        }
        return LloydKMeans.fit(x, o.fineClusters(), o.maxIterations(), o.tolerance(), o.seed());
    }

    /** Nearest centroid of every row, in parallel (each row independent, so the result is deterministic). */
    static int[] nearestAll(double[][] x, double[][] centroids) {
        int[] labels = new int[x.length];
        IntStream.range(0, x.length).parallel().forEach(i -> labels[i] = WeightedKMeans.nearest(x[i], centroids));
        return labels;
    }

    private static int[] coarseStage(double[][] fine, long[] sizes, long n, ClusteringOptions o) {
        double[] w = new double[fine.length];
        for (int f = 0; f < fine.length; f++) {
            w[f] = o.balancing() == Balancing.NONE ? 1.0 : sizes[f];
        }
        WeightedKMeans.Fit fit = WeightedKMeans.fit(fine, w, o.coarseClusters(), o.maxIterations(), o.coarseRestarts(),
                o.seed());
        if (o.balancing() != Balancing.CAPPED) {
            return fit.labels();
        }
        return CapacityAssignment.rebalance(fine, sizes, fit.centroids(), o.capacityFactor() * n / o.coarseClusters(),
                o.maxIterations());
    }
}
