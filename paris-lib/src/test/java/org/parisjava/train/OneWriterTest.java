package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.HoldLock;
import org.parisjava.io.WriterLock;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/** One writer per run stage: a second trainer refuses at once, naming the holder, and writes nothing. */
class OneWriterTest {
    @TempDir
    Path tmp;

    /** Holds {@code dir}'s writer lock from another thread until the returned latch is counted down. */
    private static CountDownLatch holdFromAnotherThread(Path dir, String what) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (WriterLock l = WriterLock.acquire(dir, what)) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.setDaemon(true);
        t.start();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void aSecondExpertTrainerRefusesWithTheHolderAndLeavesTheFirstRunsFiles() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 8);
        Path expert = run.expertDir(0);
        ExpertTrainer.train(shard, expert, TestShards.options(2, 2), ProgressListener.NONE);
        byte[] config = Files.readAllBytes(expert.resolve(FlowTrainer.CONFIG));
        byte[] loss = Files.readAllBytes(expert.resolve(LossLog.FILE));
        Process other = HoldLock.start(expert, "expert training on cluster-00");
        try {
            WriterLock.LockedException e = assertThrows(WriterLock.LockedException.class, () ->
                    ExpertTrainer.train(shard, expert, TestShards.options(4, 2).withSteps(6), ProgressListener.NONE));
            assertTrue(e.getMessage().contains("pid " + other.pid()), e.getMessage());
        } finally {
            other.destroyForcibly();
            other.waitFor(30, TimeUnit.SECONDS);
        }
        assertArrayEquals(config, Files.readAllBytes(expert.resolve(FlowTrainer.CONFIG)));
        assertArrayEquals(loss, Files.readAllBytes(expert.resolve(LossLog.FILE)));
        assertEquals(2, Checkpoint.latest(expert.resolve(FlowTrainer.CHECKPOINTS)).orElseThrow().info().step());
    }

    @Test
    void aTrainerRefusedForOtherSettingsDoesNotOverwriteTrainConfig() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 8);
        Path expert = run.expertDir(0);
        ExpertTrainer.train(shard, expert, TestShards.options(2, 2), ProgressListener.NONE);
        byte[] config = Files.readAllBytes(expert.resolve(FlowTrainer.CONFIG));
        TrainOptions otherSeed = new TrainOptions("smoke", 4, 8, 2e-3, 5, 0.0, 0.99, 1.0, "logit-normal(0.0,1.0)", 0.1,
                2, 5, 43L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExpertTrainer.train(shard, expert, otherSeed, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("different run"), e.getMessage());
        assertArrayEquals(config, Files.readAllBytes(expert.resolve(FlowTrainer.CONFIG)));
        assertEquals(0, Files.size(WriterLock.lockFile(expert)), "the refused run released its lock");
    }

    @Test
    void monolithRouterAndReproduceStagesRefuseASecondWriter() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        TestShards.write(run, 0, 8);
        TestShards.write(run, 1, 8);
        CountDownLatch monolith = holdFromAnotherThread(run.monolithDir(), "monolith training");
        WriterLock.LockedException m = assertThrows(WriterLock.LockedException.class,
                () -> MonolithTrainer.train(run, 2, TestShards.options(2, 2), ProgressListener.NONE));
        assertTrue(m.getMessage().contains("monolith training"), m.getMessage());
        monolith.countDown();
        assertTrue(Files.notExists(run.monolithDir().resolve(FlowTrainer.CONFIG)));

        CountDownLatch router = holdFromAnotherThread(run.routerDir(), "router training");
        WriterLock.LockedException r = assertThrows(WriterLock.LockedException.class,
                () -> RouterTrainer.train(run, 2, RouterOptions.of(Preset.of("smoke"), 42), ProgressListener.NONE));
        assertTrue(r.getMessage().contains("router training"), r.getMessage());
        router.countDown();
        assertTrue(Files.notExists(run.routerDir().resolve(RouterTrainer.CONFIG)));

        RunLayout second = new RunLayout(tmp.resolve("second"));
        CountDownLatch whole = holdFromAnotherThread(second.root(), "paris reproduce");
        WriterLock.LockedException w = assertThrows(WriterLock.LockedException.class,
                () -> Reproduction.run(second, Reproduction.Options.of(Preset.of("smoke"), 42), ProgressListener.NONE));
        assertTrue(w.getMessage().contains("paris reproduce"), w.getMessage());
        whole.countDown();
        assertTrue(Files.notExists(second.runConfig()), "a refused reproduce writes no run.json");

        CountDownLatch cluster = holdFromAnotherThread(second.clusteringDir(), "paris reproduce, stage cluster");
        WriterLock.LockedException c = assertThrows(WriterLock.LockedException.class,
                () -> Reproduction.run(second, Reproduction.Options.of(Preset.of("smoke"), 42), ProgressListener.NONE));
        assertTrue(c.getMessage().contains("stage cluster"), c.getMessage());
        cluster.countDown();
        assertTrue(Files.notExists(second.shardsDir()), "nothing clustered");
    }
}
