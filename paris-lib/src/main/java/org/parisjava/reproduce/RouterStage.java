package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.train.RouterTrainer;

/**
 * Stage 4: the router, a classifier of which cluster a noisy image x_t came from. Reads
 * {@code shards/}; writes {@code router/} (checkpoints and its held-out accuracy by timestep).
 */
final class RouterStage implements PipelineStage {

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.ROUTER;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        return StageFiles.shards(run, o);
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return List.of(run.routerDir());
    }

    /** The router's training options must resolve for the preset. */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        o.routerOptions();
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return RouterTrainer.isFinished(run.routerDir(), o.routerOptions());
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        RouterTrainer.train(run, o.preset().coarseClusters(), o.routerOptions(), listener);
    }
}
