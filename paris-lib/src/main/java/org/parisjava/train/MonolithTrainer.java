package org.parisjava.train;

import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.Shard;
import org.parisjava.io.WriterLock;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * The baseline: one model of the experts' preset trained on all K shards together, with the same
 * total compute as the K experts. The matching rule is DDM's: equal total (batch x steps), i.e.
 * equal images seen and, since the architecture is the same, equal training FLOPs. At the experts'
 * batch size B this gives {@code monolith steps = K x expert steps}.
 */
public final class MonolithTrainer {
    public static final String KIND = "monolith";

    private MonolithTrainer() {
    }

    /** The monolith's options for K experts trained with {@code expert}: same batch, K times the steps. */
    public static TrainOptions matchedCompute(TrainOptions expert, int experts) {
        if (experts < 1) {
            throw new IllegalArgumentException("Invalid number of experts: " + experts);
        }
        long steps = (long) expert.steps() * experts;
        if (steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Monolith steps overflow: " + steps);
        }
        return expert.withSteps((int) steps).withCheckpointEvery(expert.checkpointEvery() * experts);
    }

    /** Trains on shards 0..K-1 of the run into {@code monolith/} with {@link #matchedCompute} options. */
    public static TrainResult train(RunLayout run, int experts, TrainOptions expertOptions, ProgressListener listener) {
        return train(run, experts, expertOptions, listener, StopRequest.NEVER);
    }

    /** As {@link #train(RunLayout, int, TrainOptions, ProgressListener)}; {@code stop} may end it early with a checkpoint. */
    public static TrainResult train(RunLayout run, int experts, TrainOptions expertOptions, ProgressListener listener,
                                    StopRequest stop) {
        try (WriterLock lock = WriterLock.acquire(run.monolithDir(), "monolith training")) {
            List<Shard> shards = new ArrayList<>();
            for (int k = 0; k < experts; k++) {
                shards.add(Shard.open(run.shardDir(k)));
            }
            return FlowTrainer.train(KIND, TrainingSet.concat(shards), matchedCompute(expertOptions, experts),
                    run.monolithDir(), listener, stop);
        }
    }
}
