package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.train.MonolithTrainer;

/**
 * Stage 3: the monolithic baseline, one model of the experts' size trained on every shard with the
 * experts' total compute (K times their steps). Reads {@code shards/}; writes {@code monolith/}.
 */
final class MonolithStage implements PipelineStage {

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.MONOLITH;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        return StageFiles.shards(run, o);
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return List.of(run.monolithDir());
    }

    /** The matched-compute options must resolve (K times the experts' steps must not overflow). */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        o.monolithOptions();
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return TrainedModels.finished(run.monolithDir(), o.monolithOptions().steps());
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        MonolithTrainer.train(run, o.preset().coarseClusters(), o.expertOptions(), listener);
    }
}
