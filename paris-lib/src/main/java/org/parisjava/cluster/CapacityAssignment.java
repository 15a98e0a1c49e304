package org.parisjava.cluster;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The capacity-limited placement behind {@link Balancing#CAPPED}: fine clusters (indivisible,
 * with sizes) go to coarse clusters so that none takes more than a capacity, staying as close to
 * the nearest centroid as the capacities allow. Greedy by distance, then centroids recomputed,
 * until the placement stops changing.
 */
final class CapacityAssignment {
    private CapacityAssignment() {
    }

    static int[] rebalance(double[][] fine, long[] sizes, double[][] centroids, double capacity, int maxIterations) {
        int f = fine.length;
        int k = centroids.length;
        int[] labels = new int[f];
        Arrays.fill(labels, -1);
        double[][] c = centroids;
        for (int it = 0; it < maxIterations; it++) {
            int[] next = place(fine, sizes, c, capacity);
            if (Arrays.equals(next, labels)) {
                break;
            }
            labels = next;
            double[] w = new double[f];
            for (int i = 0; i < f; i++) {
                w[i] = sizes[i];
            }
            c = WeightedKMeans.means(fine, w, labels.clone(), k, c);
        }
        return labels;
    }

    static int[] place(double[][] fine, long[] sizes, double[][] c, double capacity) {
        int f = fine.length;
        int k = c.length;
        double[] dist = new double[f * k];
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < k; j++) {
                dist[i * k + j] = WeightedKMeans.squared(fine[i], c[j]);
            }
        }
        Integer[] order = IntStream.range(0, f * k).boxed().toArray(Integer[]::new);
        // closest pairs first; the index breaks ties so the order is deterministic
        Arrays.sort(order, Comparator.<Integer>comparingDouble(p -> dist[p]).thenComparingInt(p -> p));
        double[] room = new double[k];
        Arrays.fill(room, capacity);
        int[] labels = new int[f];
        Arrays.fill(labels, -1);
        for (int p : order) {
            int i = p / k;
            int j = p % k;
            if (labels[i] < 0 && sizes[i] <= room[j]) {
                labels[i] = j;
                room[j] -= sizes[i];
            }
        }
        // what fits nowhere goes where the most room is left, largest first
        Integer[] rest = IntStream.range(0, f).filter(i -> labels[i] < 0).boxed().toArray(Integer[]::new);
        Arrays.sort(rest, Comparator.<Integer>comparingLong(i -> -sizes[i]).thenComparingInt(i -> i));
        for (int i : rest) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (room[j] > room[best]) {
                    best = j;
                }
            }
            labels[i] = best;
            room[best] -= sizes[i];
        }
        return labels;
    }
}
