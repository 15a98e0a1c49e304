package org.parisjava.cluster;

/**
 * Settings of {@link TwoStageKMeans}. Validated on construction.
 *
 * @param fineClusters   first-stage clusters (64 at demo scale; the paper uses 1024)
 * @param coarseClusters K, one cluster per expert (the paper: 8)
 * @param balancing      how sizes enter the coarse step
 * @param capacityFactor for {@link Balancing#CAPPED}: the largest coarse cluster may hold this
 *                       many times the mean size N/K (at least 1)
 * @param maxIterations  Lloyd iterations per stage
 * @param tolerance      relative distortion change at which the fine stage stops
 * @param coarseRestarts k-means++ restarts of the (cheap) coarse step; the lowest distortion wins
 * @param seed           seeds both stages: the same data and options give the same clustering
 * @param fineEngine     which k-means runs the fine stage
 */
public record ClusteringOptions(int fineClusters, int coarseClusters, Balancing balancing, double capacityFactor,
                                int maxIterations, double tolerance, int coarseRestarts, long seed,
                                FineEngine fineEngine) {

    /** The fine stage's k-means implementation. */
    public enum FineEngine {
        /** This package's Lloyd k-means (vectorized distances, parallel rows): the default, several times faster. */
        LLOYD,
        /** Smile's KMeans (BBD-tree Lloyd): kept for comparison. */
        SMILE
    }

    public ClusteringOptions {
        if (coarseClusters < 1) {
            throw new IllegalArgumentException("Invalid number of clusters: " + coarseClusters
                    + " (K, the coarse clusters, one per expert: --k must be at least 1)");
        }
        if (fineClusters < coarseClusters) {
            throw new IllegalArgumentException("Fine clusters (" + fineClusters + ") must be at least K ("
                    + coarseClusters + ")");
        }
        if (balancing == null) {
            throw new IllegalArgumentException("Balancing must be set (NONE, WEIGHTED or CAPPED)");
        }
        if (!(capacityFactor >= 1.0)) {
            throw new IllegalArgumentException("Invalid capacity factor: " + capacityFactor + " (must be >= 1)");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Invalid number of iterations: " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("Invalid tolerance: " + tolerance);
        }
        if (fineEngine == null) {
            throw new IllegalArgumentException("Fine engine must be set (LLOYD or SMILE)");
        }
        if (coarseRestarts < 1) {
            throw new IllegalArgumentException("Invalid number of restarts: " + coarseRestarts);
        }
    }

    /** Demo-scale defaults: 64 fine, 8 coarse, size-weighted, seed 42. */
    public static ClusteringOptions defaults() {
        return of(64, 8, 42L);
    }

    public static ClusteringOptions of(int fine, int k, long seed) {
        return new ClusteringOptions(fine, k, Balancing.WEIGHTED, 1.25, 100, 1e-4, 10, seed, FineEngine.LLOYD);
    }

    public ClusteringOptions withBalancing(Balancing b, double capacity) {
        return new ClusteringOptions(fineClusters, coarseClusters, b, capacity, maxIterations, tolerance,
                coarseRestarts, seed, fineEngine);
    }

    public ClusteringOptions withSeed(long s) {
        return new ClusteringOptions(fineClusters, coarseClusters, balancing, capacityFactor, maxIterations, tolerance,
                coarseRestarts, s, fineEngine);
    }

    public ClusteringOptions withFineEngine(FineEngine e) {
        return new ClusteringOptions(fineClusters, coarseClusters, balancing, capacityFactor, maxIterations, tolerance,
                coarseRestarts, seed, e);
    }
}
