package org.parisjava.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShardWriter;
import org.parisjava.run.RunLayout;

/** Tiny shards of 16x16 RGB squares for trainer tests: cluster k holds squares of colour k. */
final class TestShards {
    static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    static final String[] PLACES = {"top left", "top right", "bottom left", "bottom right"};

    private TestShards() {
    }

    static Sample square(int cluster, int i) {
        int side = 16;
        byte[] px = new byte[3 * side * side];
        int x0 = (i % 2) * 8;
        int y0 = ((i / 2) % 2) * 8;
        int c = cluster % 4;
        int[] rgb = {c == 0 || c == 3 ? 230 : 20, c == 1 || c == 3 ? 220 : 25, c == 2 ? 210 : 30};
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean in = x >= x0 + 1 && x < x0 + 7 && y >= y0 + 1 && y < y0 + 7;
                    px[ch * side * side + y * side + x] = (byte) (in ? rgb[ch] : 128);
                }
            }
        }
        return new Sample("c" + cluster + "-" + i, new ImageU8(3, side, side, px),
                "a " + COLOURS[c] + " square " + PLACES[i % 4], Map.of("colour", COLOURS[c]));
    }

    static Path write(RunLayout run, int cluster, int n) {
        Path dir = run.shardDir(cluster);
        try (ShardWriter w = new ShardWriter(dir, cluster, new ImageSpec(3, 16, 16), "test-squares", 1L,
                List.of("colour"))) {
            for (int i = 0; i < n; i++) {
                w.add(square(cluster, i));
            }
        }
        return dir;
    }

    /** Smoke-preset options for a few quick steps. */
    static TrainOptions options(int steps, int checkpointEvery) {
        return new TrainOptions("smoke", steps, 8, 2e-3, 5, 0.0, 0.99, 1.0, "logit-normal(0.0,1.0)", 0.1,
                checkpointEvery, 5, 42L);
    }
}
