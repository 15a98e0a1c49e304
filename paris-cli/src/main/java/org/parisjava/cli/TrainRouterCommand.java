package org.parisjava.cli;

import java.util.ArrayList;
import java.util.List;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.ClusteredImages;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.StopRequest;
import org.parisjava.train.TrainOptions;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.train.RouterOptions;
import org.parisjava.train.RouterTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris train-router}: trains the router on every shard of a run, resuming if it can. */
@Command(name = "train-router", mixinStandardHelpOptions = true,
        description = "Train the router (which cluster does x_t come from?) on all shards of a run; resumes.")
final class TrainRouterCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run folder, e.g. runs/demo")
    Path run;

    @Option(names = "--preset", description = "run preset (default: run.json's, else smoke)")
    String preset;

    @Option(names = "--seed", description = "seed (default: run.json's, else 0)")
    Long seed;

    @Option(names = "--steps", description = "optimizer steps (default: the preset's)")
    Integer steps;

    @Option(names = "--lr", description = "AdamW learning rate (default: the preset's)")
    Double lr;

    @Mixin
    DeviceArgs device;

    @Option(names = "--router", paramLabel = "text-blind|text-aware", defaultValue = "text-blind",
            description = "text-blind (the paper's, on (x_t, t)) or text-aware (also the pooled caption embedding of the"
                    + " experts' text encoder; beyond the paper) (default: ${DEFAULT-VALUE})")
    String router;

    @Option(names = "--out", paramLabel = "DIR",
            description = "router folder (default: RUN/router), e.g. RUN/router-text to keep both routers of a run")
    Path out;

    @Override
    public Integer call() {
        ParentWatch.startIfAsked(); // a child of paris reproduce stops when its parent ends
        device.apply();
        RunLayout layout = new RunLayout(run);
        Preset p;
        long s;
        if (java.nio.file.Files.isRegularFile(layout.runConfig()) && (preset == null || seed == null)) {
            Reproduction.Options fromRun = Reproduction.fromRun(layout);
            p = preset != null ? Preset.of(preset) : fromRun.preset();
            s = seed != null ? seed : fromRun.seed();
        } else {
            p = Preset.of(preset != null ? preset : "smoke");
            s = seed != null ? seed : 0L;
        }
        RouterOptions o = RouterOptions.of(p, s);
        if (steps != null) {
            o = o.withSteps(steps);
        }
        if (lr != null) {
            o = o.withLearningRate(lr);
        }
        if (!router.equals(Reproduction.Options.TEXT_BLIND) && !router.equals(Reproduction.Options.TEXT_AWARE)) {
            throw new IllegalArgumentException("Unknown --router '" + router + "'; known: text-blind, text-aware");
        }
        List<Path> shards = new ArrayList<>();
        for (int k = 0; k < p.coarseClusters(); k++) {
            shards.add(layout.shardDir(k));
        }
        ClusteredImages data = ClusteredImages.open(shards);
        Path dir = out != null ? out : layout.routerDir();
        RouterTrainer.Result r;
        if (router.equals(Reproduction.Options.TEXT_AWARE)) {
            DiTConfig experts = FlowTrainer.modelConfig(TrainOptions.of(p, s).modelPreset(), data.spec());
            String textSpec = java.nio.file.Files.isRegularFile(layout.runConfig())
                    ? Reproduction.fromRun(layout).text() : null; // the run's encoder (hashed or CLIP)
            try (TextEncoder text = textSpec != null ? FlowTrainer.textEncoder(textSpec, experts)
                    : FlowTrainer.textEncoder(experts)) {
                r = RouterTrainer.train(data, dir, o, text, new TerminalProgress(System.err), StopRequest.NEVER);
            }
        } else {
            r = RouterTrainer.train(data, dir, o, new TerminalProgress(System.err));
        }
        if (r.startStep() >= r.steps()) {
            System.out.printf(Locale.ROOT, "router: already trained to step %d (%d asked for; checkpoint %s), held-out"
                    + " accuracy %.3f. To train longer pass --steps with more than %d; to start again remove %s.%n",
                    r.startStep(), r.steps(), r.checkpoint(), r.accuracy().accuracy(), r.startStep(), r.outputDir());
            return 0;
        }
        System.out.printf(Locale.ROOT, "router: %d steps (from %d), loss %.4f -> %.4f, held-out accuracy %.3f"
                        + " (chance %.3f), at t<0.1 %.3f, at t>=0.9 %.3f; checkpoint %s%n", r.steps(), r.startStep(),
                r.firstLoss(), r.lastLoss(), r.accuracy().accuracy(), 1.0 / p.coarseClusters(),
                r.accuracy().accuracyAt(0.05), r.accuracy().accuracyAt(0.95), r.checkpoint());
        return 0;
    }
}
