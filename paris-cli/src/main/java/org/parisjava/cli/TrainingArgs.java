package org.parisjava.cli;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.parisjava.io.Json;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.train.LoopOptions;
import org.parisjava.train.TrainOptions;
import picocli.CommandLine.Option;

/** Options shared by the training commands; anything not given comes from the run's preset. */
final class TrainingArgs {
    @Option(names = "--run", required = true, description = "Run folder, e.g. runs/demo.")
    Path run;

    @Option(names = "--preset", description = "Run preset (smoke, demo, paper-tiny, paper-b2, paper-xl2); default: run.json's, else smoke.")
    String preset;

    @Option(names = "--model", description = "DiT preset overriding the run preset's expert model (smoke, demo, DiT-B/2, DiT-XL/2).")
    String model;

    @Option(names = "--steps", description = "Optimizer steps per expert (default: the preset's).")
    Integer steps;

    @Option(names = "--batch", description = "Images per step (default: the preset's).")
    Integer batch;

    @Option(names = "--lr", description = "AdamW learning rate (default: the preset's).")
    Double lr;

    @Option(names = "--seed", description = "Seed of the run (default: run.json's, else 0).")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: steps/4, at most 1000).")
    Integer checkpointEvery;

    @Option(names = "--timesteps", description = "uniform or logit-normal(mean,std) (default: the preset's, logit-normal(0,1)).")
    String timesteps;

    @Option(names = "--threads", description = "PyTorch intra-op threads for this process (default: DJL's).")
    Integer threads;

    RunLayout layout() {
        return new RunLayout(run);
    }

    private JsonObject runJson() {
        Path f = layout().runConfig();
        return Files.isRegularFile(f) ? Json.read(f, JsonObject.class) : new JsonObject();
    }

    String presetName() {
        if (preset != null) {
            return preset;
        }
        JsonObject j = runJson();
        return j.has("preset") ? j.get("preset").getAsString() : "smoke";
    }

    long seedValue() {
        if (seed != null) {
            return seed;
        }
        JsonObject j = runJson();
        return j.has("seed") ? j.get("seed").getAsLong() : 0L;
    }

    /**
     * The expert options: exactly {@code TrainOptions.of(preset, seed)} with the run's text encoder (what
     * {@code paris reproduce} trains in process), with only the options given on the command line changed.
     */
    TrainOptions expertOptions() {
        TrainOptions o = TrainOptions.of(Preset.of(presetName()), seedValue());
        int s = steps != null ? steps : o.steps();
        int every = checkpointEvery != null ? checkpointEvery
                : steps != null ? LoopOptions.defaultCheckpointEvery(s) : o.checkpointEvery();
        int warmup = steps != null ? Math.min(o.warmupSteps(), s / 10 + 1) : o.warmupSteps();
        int logEvery = steps != null ? LoopOptions.defaultLogEvery(s) : o.logEvery();
        return new TrainOptions(model != null ? model : o.modelPreset(), s, batch != null ? batch : o.batch(),
                lr != null ? lr : o.learningRate(), warmup, o.weightDecay(), o.emaDecay(), o.gradClip(),
                timesteps != null ? timesteps : o.timesteps(), o.captionDropout(), every, logEvery, o.seed(),
                textSpec());
    }

    /** The run's text encoder, from run.json (hashed when it names none): experts share it with the sampler. */
    String textSpec() {
        JsonObject j = runJson();
        return j.has("text") && !j.get("text").isJsonNull() ? j.get("text").getAsString() : "hashed";
    }

    /** The options given on this command line (not --run), as arguments for a child {@code train-expert}. */
    java.util.List<String> forwardedArgs() {
        java.util.List<String> a = new java.util.ArrayList<>();
        forward(a, "--preset", preset);
        forward(a, "--model", model);
        forward(a, "--steps", steps);
        forward(a, "--batch", batch);
        forward(a, "--lr", lr);
        forward(a, "--seed", seed);
        forward(a, "--checkpoint-every", checkpointEvery);
        forward(a, "--timesteps", timesteps);
        forward(a, "--threads", threads);
        return a;
    }

    private static void forward(java.util.List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }

    /** Sets PyTorch's thread count; must run before the engine starts. */
    void applyThreads() {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
