package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/** The one loop: preemption and resume, the checks every trainer gets, compatibility of a folder. */
class TrainingLoopTest {
    @TempDir
    Path tmp;

    /** The config recorded for the test MLP of {@link TrainPiecesTest#mlp}. */
    record MlpConfig(int hidden, int outputs) {
    }

    private static final MlpConfig MLP = new MlpConfig(16, 3);

    private static LoopOptions options(int steps, long seed) {
        return new LoopOptions(steps, 4, 1e-2, 2, 0.0, 0.9, 1.0, 3, 2, seed);
    }

    /** Regression of the row sum: a loss whose data and noise come from the loop's (seed, step). */
    private static LossStep regression(Block b) {
        return batch -> {
            NDManager s = batch.manager();
            NDArray x = s.randomNormal(new Shape(batch.size(), 5)); // (B, 5)
            NDArray y = x.sum(new int[] {1}, true).repeat(1, 3); // (B, 3)
            NDArray out = b.forward(new ParameterStore(s, false), new NDList(x), true).singletonOrThrow(); // (B, 3)
            return out.sub(y).square().mean(); // ()
        };
    }

    private static TrainResult trainMlp(Path dir, LoopOptions o, StopRequest stop) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = TrainPiecesTest.mlp(m);
            return new TrainingLoop("mlp", new TrainingLoop.Model("mlp", b, MLP, m), o)
                    .savingTo(dir, o).stopRequest(stop).run(10, regression(b));
        }
    }

    private static void assertSameWeights(Path a, Path b) throws Exception {
        for (String f : List.of(Checkpoint.MODEL, Checkpoint.EMA, Checkpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " differs");
        }
    }

    @Test
    void mlpStoppedMidWindowResumesBitIdentical() throws Exception {
        TrainResult full = trainMlp(tmp.resolve("full"), options(8, 1), StopRequest.NEVER);
        assertTrue(full.finished());
        // stop after 5 updates: not a checkpoint step (3, 6) nor a log step (2, 4, 6)
        TrainResult stopped = trainMlp(tmp.resolve("split"), options(8, 1), StopRequest.atStep(5));
        assertTrue(stopped.stoppedEarly());
        assertEquals(5, stopped.steps());
        assertEquals(5, Checkpoint.open(stopped.checkpoint()).info().step());
        List<String> log = Files.readAllLines(tmp.resolve("split").resolve(LossLog.FILE));
        assertTrue(log.get(log.size() - 1).startsWith("5,"), "the pending window is logged at the stop: " + log);
        CheckpointInfo first = Checkpoint.open(stopped.checkpoint()).info();
        TrainResult resumed = trainMlp(tmp.resolve("split"), options(8, 1), StopRequest.NEVER);
        assertEquals(5, resumed.startStep());
        assertTrue(resumed.finished());
        assertSameWeights(full.checkpoint(), resumed.checkpoint());
        // the compute of the steps so far, summed over both stretches: the second stretch adds to the first
        CheckpointInfo last = Checkpoint.open(resumed.checkpoint()).info();
        // the process's CPU time ticks in steps of 10 ms on Linux, more than these few steps may take: only the
        // wall seconds must grow strictly
        assertTrue(first.wallSeconds() > 0, "first stretch: " + first);
        assertTrue(last.cpuSeconds() >= first.cpuSeconds() && last.wallSeconds() > first.wallSeconds(),
                "cpu " + first.cpuSeconds() + " -> " + last.cpuSeconds() + ", wall " + first.wallSeconds() + " -> "
                        + last.wallSeconds());
    }

    @Test
    void aResumeFromACheckpointWithoutTheCostRecordLeavesTheTotalUnknown() throws Exception {
        Path dir = tmp.resolve("run");
        TrainResult stopped = trainMlp(dir, options(8, 1), StopRequest.atStep(3));
        // a checkpoint written before the cost was recorded: the resumed run cannot know the total, so records 0
        Path info = stopped.checkpoint().resolve(Checkpoint.INFO);
        com.google.gson.JsonObject j = org.parisjava.io.Json.read(info, com.google.gson.JsonObject.class);
        j.remove("cpuSeconds");
        j.remove("wallSeconds");
        org.parisjava.io.Json.write(info, j);
        TrainResult resumed = trainMlp(dir, options(8, 1), StopRequest.NEVER);
        assertEquals(3, resumed.startStep());
        CheckpointInfo last = Checkpoint.open(resumed.checkpoint()).info();
        assertEquals(0.0, last.cpuSeconds());
        assertEquals(0.0, last.wallSeconds());
    }

    @Test
    void stopBeforeAnyUpdateWritesNothingAndAFinishedRunIgnoresIt() {
        TrainResult none = trainMlp(tmp.resolve("a"), options(4, 1), StopRequest.atStep(0));
        assertTrue(none.stoppedEarly());
        assertEquals(0, none.steps());
        assertNull(none.checkpoint());
        assertTrue(Checkpoint.latest(tmp.resolve("a").resolve(TrainingLoop.CHECKPOINTS)).isEmpty());
        trainMlp(tmp.resolve("a"), options(4, 1), StopRequest.NEVER);
        TrainResult again = trainMlp(tmp.resolve("a"), options(4, 1), StopRequest.atStep(0));
        assertTrue(again.finished(), "nothing left to do is not a stop");
        assertEquals(4, again.startStep());
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused() {
        trainMlp(tmp.resolve("run"), options(3, 1), StopRequest.NEVER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainMlp(tmp.resolve("run"), options(6, 2), StopRequest.NEVER));
        assertTrue(e.getMessage().contains("different run") && e.getMessage().contains("step-00000003")
                && e.getMessage().contains("seed 1"), e.getMessage());
    }

    @Test
    void aNonFiniteGradientStopsTheRunNamingTheParameters() {
        Path dir = tmp.resolve("nan");
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = TrainPiecesTest.mlp(m);
            LoopOptions o = options(6, 1);
            LossStep regression = regression(b);
            // from update 3 on, a finite loss (0) with a NaN gradient: sqrt'(0) = inf, times |u|'(0) = 0
            LossStep poisoned = batch -> {
                NDArray l = regression.loss(batch);
                return batch.step() < 3 ? l : l.sub(l).abs().sqrt();
            };
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> new TrainingLoop("mlp", new TrainingLoop.Model("mlp", b, MLP, m), o).savingTo(dir, o)
                            .run(10, poisoned));
            assertEquals(4, e.step());
            assertTrue(e.getMessage().contains("gradient norm NaN") && e.getMessage().contains("0.weight")
                    && e.getMessage().contains("step-00000003"), e.getMessage());
        }
        assertEquals(3, Checkpoint.latest(dir.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().info().step());
    }

    @Test
    void expertPreemptedByAFlagResumesBitIdentical() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 12);
        TrainOptions o = TestShards.options(7, 7); // log every 5, checkpoint only at the end
        TrainResult full = ExpertTrainer.train(shard, tmp.resolve("full"), o, ProgressListener.NONE);
        // what a signal handler does: raise the flag; the loop stops before its next update
        StopRequest.Flag preempt = StopRequest.flag();
        ProgressListener raiseAtFirstEvent = (ProgressEvent e) -> preempt.raise();
        TrainResult stopped = ExpertTrainer.train(shard, tmp.resolve("split"), o, raiseAtFirstEvent, preempt);
        assertTrue(stopped.stoppedEarly());
        assertEquals(5, stopped.steps());
        assertEquals(5, Checkpoint.latest(tmp.resolve("split").resolve(TrainingLoop.CHECKPOINTS)).orElseThrow()
                .info().step());
        TrainResult resumed = ExpertTrainer.train(shard, tmp.resolve("split"), o, ProgressListener.NONE);
        assertEquals(5, resumed.startStep());
        assertFalse(resumed.stoppedEarly());
        assertSameWeights(full.checkpoint(), resumed.checkpoint());
    }

    @Test
    void routerStoppedEarlyMeasuresNothingAndResumesBitIdentical() throws Exception {
        List<Path> shards = RouterTrainerTest.backgroundShards(tmp.resolve("shards"), 120);
        ClusteredImages data = ClusteredImages.open(shards);
        RouterOptions o = new RouterOptions("smoke", 6, 8, 3e-3, 2, 0.0, 0.9, 1.0, 20, 2, 6, 2, 11);
        RouterTrainer.Result full = RouterTrainer.train(data, tmp.resolve("full"), o, ProgressListener.NONE);
        RouterTrainer.Result stopped = RouterTrainer.train(data, tmp.resolve("split"), o, ProgressListener.NONE,
                StopRequest.atStep(3));
        assertTrue(stopped.stoppedEarly());
        assertNull(stopped.accuracy());
        assertFalse(Files.exists(tmp.resolve("split").resolve(RouterTrainer.ACCURACY)));
        assertFalse(RouterTrainer.isFinished(tmp.resolve("split"), o));
        RouterTrainer.Result resumed = RouterTrainer.train(data, tmp.resolve("split"), o, ProgressListener.NONE);
        assertEquals(3, resumed.startStep());
        assertSameWeights(full.checkpoint(), resumed.checkpoint());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("full").resolve(RouterTrainer.ACCURACY)),
                Files.readAllBytes(tmp.resolve("split").resolve(RouterTrainer.ACCURACY)));
    }
}
