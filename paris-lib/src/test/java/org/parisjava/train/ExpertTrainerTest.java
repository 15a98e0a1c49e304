package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.model.DiT;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ExpertTrainerTest {
    private static final Logger LOG = LoggerFactory.getLogger(ExpertTrainerTest.class);
    @TempDir
    Path tmp;

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    private static void assertSameCheckpoint(Path a, Path b) throws Exception {
        for (String f : List.of(Checkpoint.MODEL, Checkpoint.EMA, Checkpoint.OPTIMIZER)) {
            assertArrayEquals(bytes(a.resolve(f)), bytes(b.resolve(f)), f + " differs");
        }
    }

    @Test
    void smokeExpertOverfitsAHandfulOfImages() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        TestShards.write(run, 0, 4);
        TrainOptions o = new TrainOptions("smoke", 100, 4, 3e-3, 10, 0.0, 0.99, 1.0, "uniform", 0.0,
                100, 10, 3L);
        TrainResult r = ExpertTrainer.train(run, 0, o, ProgressListener.NONE);
        double factor = r.firstLoss() / r.lastLoss();
        LOG.info("overfit: first-window loss {} last-window loss {} factor {}", r.firstLoss(), r.lastLoss(), factor);
        assertTrue(factor > 3.0, "loss should fall by more than 3x on 4 images, fell " + factor + "x");
        assertTrue(Files.exists(run.expertDir(0).resolve(LossLog.FILE)));
        assertTrue(Files.exists(run.expertDir(0).resolve(FlowTrainer.CONFIG)));
    }

    @Test
    void resumedRunEndsBitIdenticalToUninterruptedOne() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 12);
        int n = 4;
        TrainResult full = ExpertTrainer.train(shard, tmp.resolve("full"), TestShards.options(2 * n, n),
                ProgressListener.NONE);
        ExpertTrainer.train(shard, tmp.resolve("split"), TestShards.options(n, n), ProgressListener.NONE);
        TrainResult resumed = ExpertTrainer.train(shard, tmp.resolve("split"), TestShards.options(2 * n, n),
                ProgressListener.NONE);
        assertEquals(n, resumed.startStep());
        assertSameCheckpoint(full.checkpoint(), resumed.checkpoint());
        List<String> a = Files.readAllLines(tmp.resolve("full").resolve(LossLog.FILE));
        List<String> b = Files.readAllLines(tmp.resolve("split").resolve(LossLog.FILE));
        // the log windows differ (the split run also logs where it stopped); the last window is the same steps
        assertEquals(a.get(a.size() - 1), b.get(b.size() - 1).replaceAll(",[0-9.]+$", a.get(a.size() - 1)
                .replaceAll(".*(,[0-9.]+)$", "$1")));
    }

    @Test
    void nonFiniteLossStopsAndKeepsTheLastGoodCheckpoint() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 8);
        Path out = tmp.resolve("expert");
        ExpertTrainer.train(shard, out, TestShards.options(2, 2), ProgressListener.NONE);
        TrainOptions poisoned = TestShards.options(8, 2).withLearningRate(1e30);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> ExpertTrainer.train(shard, out, poisoned, ProgressListener.NONE));
        LOG.info("poisoned run stopped with: {}", e.getMessage());
        assertTrue(e.step() > 2 && e.step() <= 8, "step " + e.step());
        assertTrue(e.getMessage().contains("step-00000002"), e.getMessage());
        Checkpoint last = Checkpoint.latest(out.resolve(FlowTrainer.CHECKPOINTS)).orElseThrow();
        assertEquals(2, last.info().step());
        try (NDManager m = NDManager.newBaseManager()) {
            DiT model = FlowTrainer.newModel(FlowTrainer.modelConfig("smoke", new org.parisjava.data.ImageSpec(3, 16, 16)),
                    m, 1L);
            last.loadWeights(model, true);
            for (var p : ParameterNames.of(model).values()) {
                for (float f : p.getArray().toFloatArray()) {
                    assertTrue(Float.isFinite(f), "non-finite weight in the kept checkpoint");
                }
            }
        }
    }

    @Test
    void expertIsUnchangedWhenOtherShardsAreDeleted() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        TestShards.write(run, 0, 8);
        TestShards.write(run, 1, 8);
        TrainOptions o = TestShards.options(6, 6);
        TrainResult with = ExpertTrainer.train(run, 0, o, ProgressListener.NONE);
        Checkpoint.deleteTree(run.shardDir(1));
        Checkpoint.deleteTree(run.expertDir(0));
        TrainResult without = ExpertTrainer.train(run, 0, o, ProgressListener.NONE);
        assertEquals(0, without.startStep());
        assertSameCheckpoint(with.checkpoint(), without.checkpoint());
    }

    @Test
    void monolithMatchesTotalBatchTimesSteps() {
        TrainOptions expert = TestShards.options(10, 5);
        TrainOptions mono = MonolithTrainer.matchedCompute(expert, 3);
        assertEquals(30, mono.steps());
        assertEquals(expert.batch(), mono.batch());
        assertEquals((long) expert.steps() * expert.batch() * 3, (long) mono.steps() * mono.batch());
        RunLayout run = new RunLayout(tmp.resolve("run"));
        TestShards.write(run, 0, 4);
        TestShards.write(run, 1, 4);
        TrainResult r = MonolithTrainer.train(run, 2, TestShards.options(2, 2), ProgressListener.NONE);
        assertEquals(4, r.steps());
        assertEquals(4, Checkpoint.latest(run.monolithDir().resolve(FlowTrainer.CHECKPOINTS)).orElseThrow()
                .info().step());
    }
}
