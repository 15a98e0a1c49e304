package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.train.ClusteredImages;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.StopRequest;

/**
 * Stage 4: the router, a classifier of which cluster a noisy image x_t came from. Reads
 * {@code shards/}; writes {@code router/} (checkpoints and its held-out accuracy by timestep). With
 * {@code --router text-aware} the router also reads each image's caption (beyond the paper); with
 * {@code --router both} a text-aware router is trained into {@code router-text/} beside the text-blind
 * one, from the same data, split and seed.
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
        return o.comparesRouters() ? List.of(run.routerDir(), run.textAwareRouterDir()) : List.of(run.routerDir());
    }

    /** The router's training options must resolve for the preset. */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        o.routerOptions();
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return RouterTrainer.isFinished(run.routerDir(), o.routerOptions())
                && (!o.comparesRouters() || RouterTrainer.isFinished(run.textAwareRouterDir(), o.routerOptions()));
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        int k = o.preset().coarseClusters();
        if (!RouterTrainer.isFinished(run.routerDir(), o.routerOptions())) {
            if (o.textAwareRouter()) {
                trainTextAware(run, run.routerDir(), o, listener);
            } else {
                RouterTrainer.train(run, k, o.routerOptions(), listener);
            }
        }
        if (o.comparesRouters() && !RouterTrainer.isFinished(run.textAwareRouterDir(), o.routerOptions())) {
            trainTextAware(run, run.textAwareRouterDir(), o, listener);
        }
    }

    /** A text-aware router reads the captions through the experts' own frozen text encoder (the run's). */
    private static void trainTextAware(RunLayout run, Path dir, Reproduction.Options o, ProgressListener listener) {
        int k = o.preset().coarseClusters();
        List<Path> shards = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            shards.add(run.shardDir(c));
        }
        ClusteredImages data = ClusteredImages.open(shards);
        DiTConfig experts = FlowTrainer.modelConfig(o.expertOptions().modelPreset(), data.spec());
        try (TextEncoder text = FlowTrainer.textEncoder(o.text(), experts)) {
            RouterTrainer.train(data, dir, o.routerOptions(), text, listener, StopRequest.NEVER);
        }
    }
}
