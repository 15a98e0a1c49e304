package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShardWriter;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;

/** What the CLI tells a person when inputs or the machine fail: the file, the reason, the fix. */
class CliMessagesTest {
    @TempDir
    Path tmp;


    private static Path cases(String relative) {
        return Path.of(System.getProperty("paris.repo"), "paris-lib/src/test/resources/cases", relative);
    }

    @Test
    void errorMessageCarriesTheOperatingSystemsReason() {
        Throwable full = new UncheckedIOException("Cannot write runs/x/shards/cluster-0/data.bin",
                new IOException("No space left on device"));
        assertEquals("Cannot write runs/x/shards/cluster-0/data.bin: No space left on device", ParisCli.describe(full));
        // a reason already in the message is not repeated
        Throwable ro = new UncheckedIOException("Cannot create runs/x: runs/x: Read-only file system",
                new FileSystemException("runs/x", null, "Read-only file system"));
        assertEquals("Cannot create runs/x: runs/x: Read-only file system", ParisCli.describe(ro));
        assertEquals("java.lang.NullPointerException", ParisCli.describe(new NullPointerException()));
        assertEquals("wrapped: IllegalStateException", ParisCli.describe(new RuntimeException("wrapped", new IllegalStateException())));
    }

    @Test
    void fullDiskIsReportedWithItsReason() throws Exception {
        // A real full disk: a 64 KiB tmpfs, where the machine lets this test mount one (root, Linux).
        Path mnt = Files.createDirectory(tmp.resolve("tiny"));
        Assumptions.assumeTrue(exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()),
                "cannot mount a tmpfs here (needs root)");
        try {
            CliRun o = CliRun.of("cluster", "--dataset", "shapes", "--preset", "smoke", "--limit", "300", "--k", "3",
                    "--fine", "12", "--seed", "5", "--out", mnt.resolve("run").toString());
            assertEquals(1, o.code(), o.out() + o.err());
            assertTrue(o.err().contains("No space left on device"), o.err());
        } finally {
            if (!exec("umount", mnt.toString())) {
                exec("umount", "-l", mnt.toString()); // busy: detach now, freed when the last file closes
            }
        }
    }

    private static boolean exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void decompressionBombIsNamedAndSkippedByCluster() {
        String data = "folder:" + cases("decompression-bomb/images");
        CliRun failed = CliRun.of("cluster", "--dataset", data, "--preset", "smoke", "--image-size", "16", "--k", "2", "--fine", "4",
                "--out", tmp.resolve("a").toString());
        assertEquals(1, failed.code());
        assertTrue(failed.err().contains("huge.png") && failed.err().contains("20000 x 20000"), failed.err());

        CliRun skipped = CliRun.of("cluster", "--dataset", data, "--preset", "smoke", "--image-size", "16", "--k", "2", "--fine", "4",
                "--skip-corrupt", "--out", tmp.resolve("b").toString());
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains("16 samples clustered") && skipped.out().contains("(1 unreadable samples skipped)"),
                skipped.out());

        CliRun lowered = CliRun.of("cluster", "--dataset", data, "--preset", "smoke", "--image-size", "16", "--k", "2", "--fine", "4",
                "--max-image-pixels", "2303", "--out", tmp.resolve("c").toString());
        assertEquals(1, lowered.code());
        assertTrue(lowered.err().contains("img000.png") && lowered.err().contains("over the limit of 2,303 pixels"),
                lowered.err());
    }

    @Test
    void sampleOnARouterSaysWhatTheCheckpointHolds() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        for (int k = 0; k < 2; k++) {
            try (ShardWriter w = new ShardWriter(run.shardDir(k), k, new ImageSpec(3, 16, 16), "test", 1L, List.of("k"))) {
                for (int i = 0; i < 6; i++) {
                    byte[] px = new byte[3 * 16 * 16];
                    java.util.Arrays.fill(px, (byte) (100 * k + 10 * i));
                    w.add(new Sample("s" + k + i, new ImageU8(3, 16, 16, px), "grey " + k, Map.of("k", "" + k)));
                }
            }
        }
        CliRun router = CliRun.of("train-router", "--run", run.root().toString(), "--preset", "tiny", "--steps", "2",
                "--seed", "3");
        assertEquals(0, router.code(), router.err());
        CliRun sample = CliRun.of("sample", "--checkpoint", run.routerDir().toString(), "--prompt", "grey 0", "-n", "2",
                "--out", tmp.resolve("x.png").toString());
        assertEquals(1, sample.code(), sample.out());
        assertTrue(sample.err().contains("holds a router (RouterConfig), not a DiT")
                && sample.err().contains(run.routerDir().toString()), sample.err());
        assertFalse(sample.err().contains("Failed to invoke constructor"), sample.err());
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }

    @Test
    void throughListsOnlyTheStagesItRuns() {
        Path out = tmp.resolve("run");
        CliRun o = CliRun.of("reproduce", "--preset", "tiny", "--through", "cluster", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("stages to run: cluster (--through cluster)"), o.out());
        assertFalse(o.out().contains("experts,") || o.out().contains("figures"), o.out());
    }

    @Test
    void aRunRefusedForOtherEvaluationFeaturesSaysWhichDiffer() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.recordRun(run, Reproduction.Options.of(Preset.of("tiny"), 42));
        CliRun o = CliRun.of("reproduce", "--preset", "tiny", "--eval-features", "classifier", "--through", "cluster",
                "--out", run.root().toString());
        assertEquals(1, o.code(), o.out());
        assertTrue(o.err().contains("evaluation features: made with auto, asked classifier") && !o.err().contains("seed"),
                o.err());
        assertFalse(Files.exists(run.shardDir(0)), "a refused run writes nothing");
    }

    @Test
    void aStrategyWithMoreExpertsThanTheRunHasIsRefused() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.recordRun(run, Reproduction.Options.of(Preset.of("tiny"), 42)); // K = 2
        CliRun top = CliRun.of("evaluate", "--run", run.root().toString(), "--strategies", "top-1,top-3");
        assertEquals(1, top.code(), top.out());
        assertTrue(top.err().contains("Strategy top-3 routes to 3 experts, but this run has K = 2"), top.err());
        CliRun sample = CliRun.of("reproduce", "--preset", "tiny", "--strategies", "sample-4", "--out",
                tmp.resolve("other").toString());
        assertEquals(1, sample.code(), sample.out());
        assertTrue(sample.err().contains("Strategy sample-4 routes to 4 experts"), sample.err());
        assertFalse(Files.exists(run.shardDir(0)) || Files.exists(tmp.resolve("other")), "a refused run writes nothing");
    }

    @Test
    void rerunOnAFinishedExpertSaysSo() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        try (ShardWriter w = new ShardWriter(run.shardDir(0), 0, new ImageSpec(3, 16, 16), "test", 1L, List.of("k"))) {
            for (int i = 0; i < 6; i++) {
                byte[] px = new byte[3 * 16 * 16];
                java.util.Arrays.fill(px, (byte) (30 * i));
                w.add(new Sample("s" + i, new ImageU8(3, 16, 16, px), "grey " + i, Map.of("k", "0")));
            }
        }
        String[] args = {"train-expert", "--run", run.root().toString(), "--cluster", "0", "--preset", "smoke",
                "--steps", "2", "--batch", "4", "--seed", "3"};
        CliRun first = CliRun.of(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("expert 0: 2 steps (from 0)"), first.out());
        CliRun again = CliRun.of(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("expert 0: already trained to step 2 (2 asked for"), again.out());
        assertTrue(again.out().contains("--steps with more than 2"), again.out());
        assertFalse(again.out().contains("NaN") || again.out().contains("images/s"), again.out());
    }
}
