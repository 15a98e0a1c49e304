package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * Stage 2: the K experts, each trained in isolation on its own cluster's shard. Reads
 * {@code shards/cluster-XX}; writes {@code experts/cluster-XX}. Only unfinished experts train, through
 * the options' {@link Reproduction.ExpertRunner} (in this process, or one OS process each, with the monolith
 * and the routers in the same pool of processes under {@code paris reproduce}).
 */
final class ExpertsStage implements PipelineStage {

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.EXPERTS;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        return StageFiles.shards(run, o);
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return StageFiles.experts(run, o);
    }

    /** The expert training options must resolve for the preset (steps, batch, learning rate...). */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        o.expertOptions();
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return TrainedModels.unfinishedExperts(run, o).isEmpty();
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        run(run, o, Set.of(), listener);
    }

    /**
     * Trains the unfinished experts, and the stages of {@code beside} in the same pool where the runner can
     * ({@link Reproduction.ExpertRunner#trainBeside}).
     */
    static void run(RunLayout run, Reproduction.Options o, Set<Reproduction.Stage> beside, ProgressListener listener) {
        o.experts().trainBeside(run, o, TrainedModels.unfinishedExperts(run, o), beside, listener);
    }
}
