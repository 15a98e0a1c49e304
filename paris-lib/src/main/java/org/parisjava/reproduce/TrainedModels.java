package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;

/** Which of a run's flow-matching models have reached their last step, from their checkpoints alone. */
final class TrainedModels {
    private TrainedModels() {
    }

    /** Whether the model folder holds a complete checkpoint at {@code steps} or later. */
    static boolean finished(Path modelDir, int steps) {
        Optional<Checkpoint> c = Checkpoint.latest(modelDir.resolve(FlowTrainer.CHECKPOINTS));
        return c.isPresent() && c.get().info().step() >= steps;
    }

    /** The clusters whose expert has not reached its last step. */
    static List<Integer> unfinishedExperts(RunLayout run, Reproduction.Options o) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < o.preset().coarseClusters(); k++) {
            if (!finished(run.expertDir(k), o.expertOptions().steps())) {
                out.add(k);
            }
        }
        return out;
    }
}
