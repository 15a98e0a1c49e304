package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import sun.misc.Signal;

/** SIGUSR1 during training: a checkpoint at once, a {@link TrainingStoppedException}, and a bit-exact resume. */
class PreemptionSignalTest {
    @TempDir
    Path tmp;

    @Test
    void usr1MidTrainingCheckpointsStopsAndResumesBitIdentical() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 12);
        TrainOptions o = TestShards.options(12, 100); // no periodic checkpoint before the end
        TrainOptions logged = new TrainOptions(o.modelPreset(), o.steps(), o.batch(), o.learningRate(), o.warmupSteps(),
                o.weightDecay(), o.emaDecay(), o.gradClip(), o.timesteps(), o.captionDropout(), 100, 1, o.seed());
        TrainResult full = ExpertTrainer.train(shard, tmp.resolve("full"), logged, ProgressListener.NONE);

        // a real SIGUSR1 to this process after the 4th step (the handler runs on the JVM's signal thread)
        ProgressListener raiseAt4 = e -> {
            if (e.done() == 4) {
                Signal.raise(new Signal("USR1"));
            }
        };
        TrainingStoppedException stop = assertThrows(TrainingStoppedException.class,
                () -> ExpertTrainer.train(shard, tmp.resolve("split"), logged, raiseAt4));
        assertEquals("SIGUSR1", stop.reason());
        assertTrue(stop.step() >= 4 && stop.step() < 12, "stopped at step " + stop.step());
        Checkpoint left = Checkpoint.latest(tmp.resolve("split").resolve(FlowTrainer.CHECKPOINTS)).orElseThrow();
        assertEquals(stop.step(), left.info().step(), "the checkpoint of the step reached");
        assertEquals(left.dir(), stop.checkpoint());
        TrainingHost h = left.info().lastHost();
        assertEquals(0, h.fromStep());
        assertEquals(stop.step(), h.toStep());
        assertTrue(h.device().startsWith("cpu") && h.java().contains(System.getProperty("java.version")), h.toString());

        // the handlers are gone after training: a new run starts without a pending request
        try (PreemptionSignal s = PreemptionSignal.install()) {
            assertFalse(s.requested());
        }
        TrainResult resumed = ExpertTrainer.train(shard, tmp.resolve("split"), logged, ProgressListener.NONE);
        assertEquals(stop.step(), resumed.startStep());
        for (String f : List.of(Checkpoint.MODEL, Checkpoint.EMA, Checkpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(full.checkpoint().resolve(f)),
                    Files.readAllBytes(resumed.checkpoint().resolve(f)), f);
        }
        assertEquals(Files.readAllLines(tmp.resolve("full").resolve(LossLog.FILE)).size(),
                Files.readAllLines(tmp.resolve("split").resolve(LossLog.FILE)).size(), "loss.csv reads like one run");
    }
}
