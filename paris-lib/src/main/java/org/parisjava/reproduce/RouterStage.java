package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.data.Shard;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.StopRequest;

/**
 * Stage 4: the router, a classifier of which cluster a noisy image x_t came from. Reads
 * {@code shards/}; writes {@code router/} (checkpoints and its held-out accuracy by timestep). With
 * {@code --router text-aware} the router also reads each image's caption (beyond the paper).
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
        int k = o.preset().coarseClusters();
        if (!o.textAwareRouter()) {
            RouterTrainer.train(run, k, o.routerOptions(), listener);
            return;
        }
        // the text-aware router reads captions through the experts' own frozen text encoder
        DiTConfig experts = FlowTrainer.modelConfig(o.expertOptions().modelPreset(), Shard.open(run.shardDir(0)).spec());
        try (TextEncoder text = FlowTrainer.textEncoder(experts)) {
            RouterTrainer.train(run, k, o.routerOptions(), text, listener, StopRequest.NEVER);
        }
    }
}
