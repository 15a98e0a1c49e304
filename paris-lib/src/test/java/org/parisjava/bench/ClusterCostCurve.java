package org.parisjava.bench;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.parisjava.cluster.Balancing;
import org.parisjava.cluster.Clustering;
import org.parisjava.cluster.ClusteringOptions;
import org.parisjava.cluster.TwoStageKMeans;

/**
 * One point of the clustering cost curve (bench/cluster-cost-curve.sh): synthetic features, N rows
 * of D dimensions drawn around 64 seeded centres (uniform noise), then the two-stage k-means of
 * {@code paris cluster} (64 fine clusters, K = 8, size-weighted) and the assignment of every row,
 * with a fixed number of Lloyd iterations (tolerance 0) so that both sides do the same work.
 * Prints one JSON line: generation and clustering seconds (wall and this process's CPU).
 *
 * <pre>java ... org.parisjava.bench.ClusterCostCurve N D [ITERATIONS=20] [SEED=42]</pre>
 */
public final class ClusterCostCurve {
    private ClusterCostCurve() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        float[][] x = synthetic(n, d, 64, seed);
        double gen = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double cpu1 = cpuSeconds();
        ClusteringOptions o = new ClusteringOptions(64, 8, Balancing.WEIGHTED, 1.25, iterations, 0.0, 10, seed,
                ClusteringOptions.FineEngine.LLOYD);
        Clustering c = TwoStageKMeans.fit(x, o);
        int[] fine = c.predictFineAll(x);
        long[] sizes = new long[8];
        for (int f : fine) {
            sizes[c.coarseOf(f)]++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu2 = cpuSeconds();
        System.out.printf(java.util.Locale.ROOT,
                "{\"impl\": \"java\", \"n\": %d, \"d\": %d, \"iterations\": %d, \"generate_s\": %.3f, "
                        + "\"cluster_s\": %.3f, \"cluster_cpu_s\": %.3f, \"generate_cpu_s\": %.3f, \"sizes\": %s}%n",
                n, d, iterations, gen, secs, cpu2 - cpu1, cpu1 - cpu0, java.util.Arrays.toString(sizes));
    }

    /** Rows around {@code centres} random centres in [-1, 1]^D, uniform noise of half-width 0.5; one seeded stream per row. */
    static float[][] synthetic(int n, int d, int centres, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        float[][] c = new float[centres][d];
        for (float[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (root.nextDouble() * 2 - 1);
            }
        }
        float[][] x = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
            float[] centre = c[r.nextInt(centres)];
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = centre[j] + (float) (r.nextDouble() - 0.5);
            }
            x[i] = row;
        });
        return x;
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
