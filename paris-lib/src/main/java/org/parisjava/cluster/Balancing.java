package org.parisjava.cluster;

/**
 * How the coarse step treats cluster sizes. Experts train one per coarse cluster, so very
 * unequal clusters mean very unequal experts.
 */
public enum Balancing {
    /** Coarse k-means over the fine centroids, each counting once (sizes ignored). */
    NONE,
    /**
     * Coarse k-means over the fine centroids weighted by their sizes: a coarse centroid is the
     * mean of its samples, and dense regions pull centroids toward them, which splits large
     * regions (the default).
     */
    WEIGHTED,
    /**
     * WEIGHTED, then a capacity-limited reassignment: each coarse cluster takes at most
     * {@code capacityFactor * N / K} samples. Fine clusters are indivisible, so they are placed
     * greedily by distance (closest pairs first) into coarse clusters with room left; one that
     * fits nowhere goes to the cluster with the most room. Centroids are recomputed and the
     * placement repeated until it no longer changes.
     */
    CAPPED
}
