package org.parisjava.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.bench.ClusterScaleBenchmark;

/**
 * Clustering memory stays bounded as N grows: 1024-d features of 20,000 and 60,000 rows (80 and 240
 * MB of float32 on disk) are clustered by {@link StreamingClustering} in a child JVM whose heap is
 * capped at 64 MB, less than the larger data set; both finish, assign every row, and their peak heaps
 * are close. (bench/cluster-scale.sh runs the same code at N = 100k, 300k, 1M.)
 */
class ClusterScaleTest {
    private static final int DIM = 1024;

    @TempDir
    Path tmp;

    @Test
    void peakHeapDoesNotGrowWithTheNumberOfRows() throws Exception {
        JsonObject small = run(20_000);
        JsonObject large = run(60_000);
        assertEquals(60_000L * DIM * 4, large.get("feature_bytes").getAsLong());
        double cap = large.get("max_heap_mb").getAsDouble();
        assertTrue(cap < 240, "the heap cap is below the larger data set: " + cap + " MB");
        double ps = small.get("peak_heap_mb").getAsDouble();
        double pl = large.get("peak_heap_mb").getAsDouble();
        assertTrue(pl < 1.5 * ps + 8, "peak heap grew with N: " + ps + " MB at 20k, " + pl + " MB at 60k");
        // the GEMMs' direct buffers live outside the heap: they too hold the fitting sample and one batch, not N
        double ds = small.get("direct_mb").getAsDouble();
        double dl = large.get("direct_mb").getAsDouble();
        assertTrue(dl < 1.5 * ds + 8, "direct buffers grew with N: " + ds + " MB at 20k, " + dl + " MB at 60k");
    }

    @Test
    void corruptShardsAreRefusedByName() throws Exception {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        FeatureShards.write(dir.resolve(FeatureShards.shardName(0)), new float[][] {{1, 2}, {3, 4}});
        FeatureShards.write(dir.resolve(FeatureShards.shardName(1)), new float[][] {{1, 2, 3}});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FeatureShards.open(dir));
        assertTrue(e.getMessage().contains("features-00001.f32") && e.getMessage().contains("dimension 3"),
                e.getMessage());
        Path trunc = dir.resolve(FeatureShards.shardName(1));
        FeatureShards.write(trunc, new float[][] {{1, 2}});
        Files.write(trunc, java.util.Arrays.copyOf(Files.readAllBytes(trunc), 20));
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FeatureShards.open(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    private JsonObject run(int n) throws Exception {
        Path dir = tmp.resolve("n" + n);
        ClusterScaleBenchmark.generate(dir, n, DIM, 5_000, 7);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ClusterScaleBenchmark.class.getName(), "cluster", dir.toString(), "64", "8", "2000"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "clustering " + n + " rows timed out");
        assertEquals(0, p.exitValue(), "clustering " + n + " rows under -Xmx64m failed: " + out);
        String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        JsonObject j = JsonParser.parseString(line).getAsJsonObject();
        assertEquals(n, j.get("rows").getAsLong());
        long sum = 0;
        for (var s : JsonParser.parseString(j.get("sizes").toString()).getAsJsonArray()) {
            sum += s.getAsLong();
        }
        assertEquals(n, sum, "every row is assigned");
        assertEquals((long) n * 8, Files.size(dir.resolve("assignments.bin")), "two int32 per row");
        return j;
    }
}
