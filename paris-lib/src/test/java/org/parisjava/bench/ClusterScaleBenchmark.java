package org.parisjava.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.management.openmbean.CompositeData;
import org.parisjava.cluster.ClusteringOptions;
import org.parisjava.cluster.FeatureShards;
import org.parisjava.cluster.StreamingClustering;
import org.parisjava.run.ProgressListener;

/**
 * Paper-scale clustering on synthetic features (bench/cluster-scale.sh, and ClusterScaleTest at a
 * small size): {@code generate DIR N D SHARD_ROWS SEED} writes N rows of a mixture of 64 Gaussians in
 * D dimensions as {@link FeatureShards}; {@code cluster DIR FINE K FIT_SAMPLE} clusters them with
 * {@link StreamingClustering} and prints one JSON line: rows, seconds per pass, peak heap (the sum
 * of the heap pools' peak usage, which a serial collector fills up to the cap), the largest heap just
 * after a collection (closer to what is live) and peak RSS (VmHWM).
 */
public final class ClusterScaleBenchmark {
    private static final int CENTERS = 64;

    private ClusterScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Long.parseLong(args[5]));
            case "cluster" -> System.out.println(cluster(Path.of(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4])));
            default -> throw new IllegalArgumentException("generate or cluster, got " + args[0]);
        }
    }

    /** Writes N rows (D) in shards of shardRows; memory is one shard. */
    public static void generate(Path dir, long n, int d, int shardRows, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom centersRng = new SplittableRandom(seed);
        float[][] centers = new float[CENTERS][d];
        for (float[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (centersRng.nextDouble() * 2 - 1);
            }
        }
        long written = 0;
        int shard = 0;
        while (written < n) {
            int rows = (int) Math.min(shardRows, n - written);
            SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + shard);
            float[][] x = new float[rows][d];
            for (float[] row : x) {
                float[] c = centers[rng.nextInt(CENTERS)];
                for (int j = 0; j < d; j++) {
                    row[j] = c[j] + (float) (0.3 * gaussian(rng));
                }
            }
            FeatureShards.write(dir.resolve(FeatureShards.shardName(shard++)), x);
            written += rows;
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Clusters the folder and returns the JSON line of figures. */
    public static String cluster(Path dir, int fine, int k, int fitSample) throws Exception {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p.getName());
            }
        }
        // the heap just after each collection: an upper bound of what is live (old-generation garbage included)
        java.util.concurrent.atomic.AtomicLong afterGc = new java.util.concurrent.atomic.AtomicLong();
        javax.management.NotificationListener listener = (note, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(note.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) note.getUserData()).getGcInfo();
                long used = 0;
                for (var e : info.getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                afterGc.accumulateAndGet(used, Math::max);
            }
        };
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        long t0 = System.nanoTime();
        FeatureShards f = FeatureShards.open(dir);
        StreamingClustering.Result r = StreamingClustering.run(f, ClusteringOptions.of(fine, k, 42L), fitSample, 1024,
                dir.resolve("assignments.bin"), ProgressListener.NONE);
        double total = (System.nanoTime() - t0) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peakHeap += p.getPeakUsage().getUsed();
            }
        }
        // direct (off-heap) buffers the products allocate, held until a GC: their total when the run ends
        long direct = 0;
        for (java.lang.management.BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(
                java.lang.management.BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                direct += b.getMemoryUsed();
            }
        }
        return String.format(Locale.ROOT, "{\"rows\": %d, \"dim\": %d, \"fine\": %d, \"k\": %d, \"fit_rows\": %d,"
                        + " \"feature_bytes\": %d, \"sample_s\": %.2f, \"fit_s\": %.2f, \"assign_s\": %.2f, \"total_s\": %.2f,"
                        + " \"peak_heap_mb\": %.1f, \"heap_after_gc_max_mb\": %.1f, \"max_heap_mb\": %.1f,"
                        + " \"peak_rss_mb\": %.1f, \"direct_mb\": %.1f, \"sizes\": %s}",
                r.rows(), f.dimension(), fine, k, r.fitRows(), r.rows() * f.dimension() * 4L, r.sampleSecond(),
                r.fitSeconds(), r.assignSeconds(), total, peakHeap / 1048576.0, afterGc.get() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, peakRssMb(), direct / 1048576.0, Arrays.toString(r.sizes()));
    }

    private static double peakRssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
