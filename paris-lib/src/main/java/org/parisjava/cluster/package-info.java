/**
 * Two-stage k-means as in Paris and DDM: fine k-means over image features, then k-means over the
 * fine centroids to K coarse clusters (one per expert), optionally size-balanced. New samples go
 * to the coarse cluster of their nearest fine centroid. Also: composition statistics (what each
 * cluster holds) and the pipeline that turns a dataset into per-cluster shards.
 */
package org.parisjava.cluster;
