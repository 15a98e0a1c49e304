package org.parisjava.train;

import java.nio.file.Path;
import org.parisjava.data.Shard;
import org.parisjava.io.WriterLock;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * Trains expert k of a run in isolation: it opens {@code shards/cluster-k} and nothing else of the
 * run's data, and writes only under {@code experts/cluster-k}. Any number of experts can thus run
 * at once, as separate processes or on separate machines sharing (or copying) the run folder.
 */
public final class ExpertTrainer {
    public static final String KIND = "expert";

    private ExpertTrainer() {
    }

    public static TrainResult train(RunLayout run, int cluster, TrainOptions options, ProgressListener listener) {
        return train(run, cluster, options, listener, StopRequest.NEVER);
    }

    /** As {@link #train(RunLayout, int, TrainOptions, ProgressListener)}; {@code stop} may end it early with a checkpoint. */
    public static TrainResult train(RunLayout run, int cluster, TrainOptions options, ProgressListener listener,
                                    StopRequest stop) {
        return train(run.shardDir(cluster), run.expertDir(cluster), options, listener, stop);
    }

    /**
     * Trains on the shard in {@code shardDir} into {@code expertDir}, resuming if it holds a checkpoint.
     *
     * @throws org.parisjava.io.WriterLock.LockedException naming the holder if another process is training this expert
     */
    public static TrainResult train(Path shardDir, Path expertDir, TrainOptions options, ProgressListener listener) {
        return train(shardDir, expertDir, options, listener, StopRequest.NEVER);
    }

    /** As {@link #train(Path, Path, TrainOptions, ProgressListener)}; {@code stop} may end it early with a checkpoint. */
    public static TrainResult train(Path shardDir, Path expertDir, TrainOptions options, ProgressListener listener,
                                    StopRequest stop) {
        try (WriterLock lock = WriterLock.acquire(expertDir, "expert training on " + shardDir.getFileName())) {
            Shard shard = Shard.open(shardDir);
            return FlowTrainer.train(KIND, TrainingSet.of(shard), options, expertDir, listener, stop);
        }
    }
}
