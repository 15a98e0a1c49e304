package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShardWriter;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;

/** train-experts as real OS processes, train-monolith, and sample, on two tiny shards. */
class TrainCommandsTest {
    @TempDir
    Path tmp;

    private static void shard(RunLayout run, int k) {
        try (ShardWriter w = new ShardWriter(run.shardDir(k), k, new ImageSpec(3, 16, 16), "test", 1L, List.of("k"))) {
            for (int i = 0; i < 6; i++) {
                byte[] px = new byte[3 * 16 * 16];
                for (int j = 0; j < px.length; j++) {
                    px[j] = (byte) ((j / 256 == k ? 200 : 40) + (i * 7 + j) % 11);
                }
                w.add(new Sample("s" + k + "-" + i, new ImageU8(3, 16, 16, px), "colour " + k + " image " + i,
                        Map.of("k", "" + k)));
            }
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    @Test
    void trainExpertsLaunchesOneProcessPerClusterAndReportsFailures() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        shard(run, 0);
        shard(run, 1);
        int code = ParisCli.run("train-experts", "--run", run.root().toString(), "--parallel", "2",
                "--clusters", "0,1,7", "--preset", "smoke", "--steps", "3", "--batch", "4", "--seed", "5");
        assertEquals(1, code, "cluster 7 has no shard, so the command must fail");
        for (int k : new int[] {0, 1}) {
            Checkpoint c = Checkpoint.latest(run.expertDir(k).resolve(FlowTrainer.CHECKPOINTS)).orElseThrow();
            assertEquals(3, c.info().step());
            assertEquals(5, c.info().seed());
            assertTrue(Files.readString(run.expertDir(k).resolve("train.log")).contains("step 3/3"));
        }
        String log7 = Files.readString(run.expertDir(7).resolve("train.log"));
        assertTrue(log7.contains("No shard"), log7);

        // isolation across processes: expert 0 retrained in a new process without shard 1 is bit-identical
        Path final0 = run.expertDir(0).resolve(FlowTrainer.CHECKPOINTS).resolve("step-00000003");
        byte[] model0 = Files.readAllBytes(final0.resolve(Checkpoint.MODEL));
        byte[] ema0 = Files.readAllBytes(final0.resolve(Checkpoint.EMA));
        deleteTree(run.shardDir(1));
        deleteTree(run.expertDir(0));
        assertEquals(0, ParisCli.run("train-experts", "--run", run.root().toString(), "--clusters", "0",
                "--preset", "smoke", "--steps", "3", "--batch", "4", "--seed", "5"));
        assertArrayEquals(model0, Files.readAllBytes(final0.resolve(Checkpoint.MODEL)));
        assertArrayEquals(ema0, Files.readAllBytes(final0.resolve(Checkpoint.EMA)));
        shard(run, 1);

        Path png = tmp.resolve("grid.png");
        assertEquals(0, ParisCli.run("sample", "--checkpoint", run.expertDir(0).toString(), "--prompt", "colour 0 image 1",
                "-n", "4", "--steps", "3", "--cfg", "2", "--scale", "1", "--out", png.toString()));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 2 * 16 && img.getHeight() >= 2 * 16, img.getWidth() + "x" + img.getHeight());

        assertEquals(0, ParisCli.run("train-monolith", "--run", run.root().toString(), "--preset", "smoke",
                "--steps", "1", "--batch", "4", "--seed", "5", "--experts", "2"));
        assertEquals(2, Checkpoint.latest(run.monolithDir().resolve(FlowTrainer.CHECKPOINTS)).orElseThrow().info().step());
    }
}
