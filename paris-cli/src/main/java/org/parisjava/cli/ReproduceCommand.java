package org.parisjava.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.reproduce.RunManifest;
import org.parisjava.reproduce.SeedSweep;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris reproduce}: the whole pipeline, resumable, with the figures and the comparison table at the end. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline: cluster, experts, monolith, router, strategies, figures and table.",
                "Each expert trains in its own OS process, the monolith and the router beside them in the same pool;",
                "the monolith gets the same total compute as the experts.",
                "Run it again to resume: finished stages are skipped."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "demo",
            description = "scale: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ClusterCommand.PresetNames.class)
    String preset;

    @Option(names = "--out", paramLabel = "DIR", description = "run folder (default: runs/PRESET)")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "seed of everything in the run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "dataset spec (default: the preset's, the embedded shapes)")
    String dataset;

    @Option(names = "--features", paramLabel = "pca|model:PATH|hf:PATH",
            description = "clustering features: PCA of pixels, a TorchScript/ONNX encoder, or hf:PATH, a transformers"
                    + " DINOv2 folder (facebook/dinov2-large) run in Java; recorded in run.json (default: pca)")
    String features;

    @Option(names = "--text", paramLabel = "hashed|hf:PATH",
            description = "text encoder: hashed, or hf:PATH, CLIP's text tower from a Hugging Face folder (the released"
                    + " Paris folder, or openai/clip-vit-large-patch14); loaded and recorded in run.json (default: hashed)")
    String text;

    @Option(names = "--latent", paramLabel = "identity|hf:PATH",
            description = "latent space: identity (pixels), or hf:PATH, a diffusers AutoencoderKL folder (the released"
                    + " Paris folder's vae/, or stabilityai/sd-vae-ft-mse); loaded and recorded in run.json (default: identity)")
    String latent;

    @Option(names = "--eval-features", paramLabel = "auto|classifier|inception:PATH|hf:PATH|model:PATH",
            description = "feature space of FD, KID and precision/recall: auto (the run's evaluation classifier when the"
                    + " dataset has attributes, else the --features model), classifier, pytorch-fid's Inception"
                    + " TorchScript, a DINOv2 folder, or a TorchScript/ONNX encoder; recorded in run.json (default: auto)")
    String evalFeatures;

    @Option(names = "--clip", paramLabel = "hf:PATH",
            description = "CLIP model for the CLIP score (arXiv 2104.08718), the prompt adherence of datasets without"
                    + " attributes: a CLIPModel folder (catalogue entry clip-vit-large-patch14) or a folder with"
                    + " image_encoder/, text_encoder/ and tokenizer/; checked before the first stage and recorded in"
                    + " run.json (default: none, adherence of such datasets not measured)")
    String clip;

    @Option(names = "--fid-model", paramLabel = "PATH",
            description = "pytorch-fid's Inception network exported to TorchScript: FID and KID in its features"
                    + " (the same as --eval-features inception:PATH)")
    Path fidModel;

    @Option(names = "--eval-images", paramLabel = "N", description = "generated images per strategy (default: the preset's)")
    Integer evalImages;

    @Option(names = "--strategies", split = ",", paramLabel = "S",
            description = "strategies to compare (default: monolith,top-1,top-2,full,oracle)")
    List<String> strategies;

    @Option(names = "--parallel", defaultValue = "2",
            description = "models trained at once (the experts, the monolith and the routers), each in its own process"
                    + " with cores/N threads (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--through", paramLabel = "STAGE",
            description = "run the stages up to this one only (cluster, experts, monolith, router, classifier, evaluate,"
                    + " figures; default: all)")
    String through;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "run the whole comparison for N seeds (SEED, SEED+1...) into OUT/seed-S and report mean, sd and"
                    + " a 95%% interval per strategy; the verdict calls an ordering reproduced only where the intervals"
                    + " separate (default: ${DEFAULT-VALUE}, one run in OUT)")
    int seeds;

    @Option(names = "--router", paramLabel = "text-blind|text-aware|both", defaultValue = "text-blind",
            description = "router: text-blind, the paper's, on (x_t, t); text-aware, also conditioned on the caption"
                    + " (beyond the paper); or both, the text-blind router plus a text-aware one in RUN/router-text, every"
                    + " routed strategy evaluated with each (a finished text-blind run can add it); recorded in run.json"
                    + " (default: ${DEFAULT-VALUE})")
    String router;

    @Option(names = "--in-process", description = "train every model (experts, monolith, routers) one after another in"
            + " this process instead of a pool of processes")
    boolean inProcess;

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        device.apply();
        PrintStream o = System.out;
        Preset p = Preset.of(preset);
        RunLayout run = new RunLayout(out != null ? out : Path.of("runs", p.name()));
        Reproduction.Options opts = Reproduction.Options.of(p, seed);
        if (dataset != null) {
            opts = opts.withDataset(dataset);
        }
        if (features != null) {
            opts = opts.withFeatures(features);
        }
        if (text != null) {
            opts = opts.withText(text);
        }
        if (latent != null) {
            opts = opts.withLatent(latent);
        }
        if (evalFeatures != null && fidModel != null) {
            throw new IllegalArgumentException("Give --eval-features or --fid-model, not both");
        }
        if (evalFeatures != null) {
            opts = opts.withEvalFeatures(evalFeatures);
        }
        if (fidModel != null) {
            opts = opts.withEvalFeatures("inception:" + fidModel);
        }
        if (clip != null) {
            opts = opts.withClip(clip);
        }
        if (evalImages != null) {
            opts = opts.withEvalImages(evalImages);
        }
        if (strategies != null) {
            opts = opts.withStrategies(strategies.stream().map(RoutingStrategy::parse).toList());
        }
        opts = opts.withRouter(router);
        if (!inProcess) {
            opts = opts.withExperts(processRunner(parallel));
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        if (seeds > 1) {
            if (through != null) {
                throw new IllegalArgumentException("--through runs part of one run; give it without --seeds");
            }
            return sweep(o, p, run.root(), opts);
        }
        Reproduction.Stage last = Reproduction.Stage.FIGURES;
        if (through != null) {
            try {
                last = Reproduction.Stage.valueOf(through.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown stage '" + through + "' for --through (cluster, experts,"
                        + " monolith, router, classifier, evaluate, figures)");
            }
        }
        Reproduction.validateThrough(run, opts, last); // a run that could not finish is refused before anything runs
        Reproduction.Stage stop = last;
        List<Reproduction.Stage> pending = Reproduction.pending(run, opts).stream()
                .filter(s -> s.ordinal() <= stop.ordinal()).toList();
        o.printf(Locale.ROOT, "paris reproduce: preset %s, seed %d, K=%d, dataset %s -> %s%n", p.name(), seed,
                p.coarseClusters(), opts.datasetSpec(), run.root());
        o.println("stages to run: " + (pending.isEmpty() ? "none" : String.join(", ",
                pending.stream().map(Reproduction.Stage::label).toList()))
                + (through != null ? " (--through " + last.label() + ")"
                : pending.size() < Reproduction.Stage.values().length ? " (the others are complete)" : ""));
        long t0 = System.nanoTime();
        if (through != null) {
            Reproduction.Result r = Reproduction.runThrough(run, opts, last, new TerminalProgress(System.err));
            for (RunManifest.StageRecord s : r.stages()) {
                o.printf(Locale.ROOT, "  %-10s %8.1f s%s%n", s.stage(), s.seconds(), s.note().isEmpty() ? "" : " (" + s.note() + ")");
            }
            o.printf(Locale.ROOT, "stages through %s done in %.1f s in %s%n", last.label(),
                    (System.nanoTime() - t0) / 1e9, run.root());
            return 0;
        }
        Reproduction.Result r = Reproduction.run(run, opts, new TerminalProgress(System.err));
        printResult(o, r, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private int sweep(PrintStream o, Preset p, Path root, Reproduction.Options opts) {
        o.printf(Locale.ROOT, "paris reproduce: preset %s, %d seeds from %d, K=%d, dataset %s, router %s -> %s/seed-S%n",
                p.name(), seeds, seed, p.coarseClusters(), opts.datasetSpec(), opts.router(), root);
        long t0 = System.nanoTime();
        SeedSweep.Result r = SeedSweep.run(root, opts, seeds, new TerminalProgress(System.err));
        o.println();
        o.println(r.aggregate().toMarkdown());
        o.println(r.aggregate().verdict().toMarkdown());
        o.println(r.aggregate().verdict().statement());
        o.printf(Locale.ROOT, "done in %.1f s; combined table and verdict in %s%n", (System.nanoTime() - t0) / 1e9,
                root.resolve(SeedSweep.SUMMARY));
        return 0;
    }

    static void printResult(PrintStream o, Reproduction.Result r, double seconds) {
        o.println();
        o.println(r.summary().table().toMarkdown());
        o.println(r.summary().statement());
        o.println();
        for (RunManifest.StageRecord s : r.stages()) {
            o.printf(Locale.ROOT, "  %-10s %8.1f s%s%n", s.stage(), s.seconds(), s.note().isEmpty() ? "" : " (" + s.note() + ")");
        }
        o.printf(Locale.ROOT, "done in %.1f s; figures and results in %s%n", seconds, r.run().figuresDir());
    }

    /**
     * Experts as OS processes ({@code paris train-expert}), P at a time, with the monolith ({@code paris
     * train-monolith}) and the routers ({@code paris train-router}) in the same pool when they are still to train:
     * longest first (the monolith), each with cores / P threads. Small models use one core each far better than two
     * threads each, so on two cores the monolith trains beside the experts in about the time they take. A failed
     * model fails the stage; finished ones are kept.
     */
    static Reproduction.ExpertRunner processRunner(int parallel) {
        return new Reproduction.ExpertRunner() {
            @Override
            public void train(RunLayout run, List<Integer> clusters, TrainOptions options, ProgressListener listener) {
                List<ExpertLauncher.Job> jobs = new ArrayList<>();
                for (int k : clusters) {
                    jobs.add(ExpertLauncher.Job.expert(run, k, List.of("--seed", Long.toString(options.seed()))));
                }
                runPool(run, jobs, parallel, listener);
            }

            @Override
            public void trainBeside(RunLayout run, Reproduction.Options o, List<Integer> clusters,
                                    Set<Reproduction.Stage> beside, ProgressListener listener) {
                Set<Reproduction.Stage> join = java.util.EnumSet.noneOf(Reproduction.Stage.class);
                join.addAll(beside);
                if (!monolithFits(run, o, clusters, parallel)) {
                    join.remove(Reproduction.Stage.MONOLITH); // it trains after the experts, with every core
                }
                List<ExpertLauncher.Job> jobs = besideJobs(run, o, join);
                for (int k : clusters) {
                    jobs.add(ExpertLauncher.Job.expert(run, k, List.of("--seed", Long.toString(o.seed()))));
                }
                runPool(run, jobs, parallel, listener, oc -> {
                    Reproduction.Stage s = stageOf(oc.job());
                    if (oc.exitCode() == 0 && s != Reproduction.Stage.EXPERTS) { // kept even if another model fails
                        RunManifest.recordStage(run, s.label(), false, oc.seconds(), true,
                                Reproduction.Stage.EXPERTS.label());
                    }
                });
            }
        };
    }

    /**
     * Whether the monolith gains from joining the experts' pool: with P processes it takes one of them for its whole
     * length, so it joins only when the rest of the pool (the experts still to train) keeps the other P - 1 busy as
     * long: (P - 1) x its images still to train at most the experts' images still to train. On two cores and a fresh
     * run that holds (the same images on both sides); with many processes, or one expert left to resume, the
     * monolith trains after the experts with every core instead.
     */
    static boolean monolithFits(RunLayout run, Reproduction.Options o, List<Integer> clusters, int parallel) {
        if (parallel < 2) {
            return false;
        }
        long expertImages = 0;
        for (int k : clusters) {
            expertImages += imagesLeft(run.expertDir(k), o.expertOptions());
        }
        return (parallel - 1) * imagesLeft(run.monolithDir(), o.monolithOptions()) <= expertImages;
    }

    /** Images a model still has to train: steps left (from its newest checkpoint) x batch. */
    private static long imagesLeft(java.nio.file.Path modelDir, TrainOptions t) {
        long done = org.parisjava.train.Checkpoint.peekLatestInfo(
                modelDir.resolve(org.parisjava.train.FlowTrainer.CHECKPOINTS)).map(i -> i.step()).orElse(0L);
        return Math.max(0, t.steps() - done) * (long) t.batch();
    }

    /** Which stage a job of the pool belongs to. */
    private static Reproduction.Stage stageOf(ExpertLauncher.Job j) {
        return j.cluster() >= 0 ? Reproduction.Stage.EXPERTS
                : j.label().equals("monolith") ? Reproduction.Stage.MONOLITH : Reproduction.Stage.ROUTER;
    }

    /**
     * The monolith's and the routers' processes for the stages of {@code beside}, longest first: the monolith
     * (K times an expert's steps), then the routers. Only unfinished models get a process.
     */
    static List<ExpertLauncher.Job> besideJobs(RunLayout run, Reproduction.Options o, Set<Reproduction.Stage> beside) {
        List<ExpertLauncher.Job> jobs = new ArrayList<>();
        String root = run.root().toAbsolutePath().toString();
        String seed = Long.toString(o.seed());
        if (beside.contains(Reproduction.Stage.MONOLITH)) {
            jobs.add(new ExpertLauncher.Job("monolith", -1, run.monolithDir(), List.of("train-monolith", "--run", root,
                    "--seed", seed, "--experts", Integer.toString(o.preset().coarseClusters()))));
        }
        if (beside.contains(Reproduction.Stage.ROUTER)) {
            if (!RouterTrainer.isFinished(run.routerDir(), o.routerOptions())) {
                jobs.add(new ExpertLauncher.Job("router", -1, run.routerDir(), List.of("train-router", "--run", root,
                        "--seed", seed, "--router", o.textAwareRouter() ? Reproduction.Options.TEXT_AWARE
                                : Reproduction.Options.TEXT_BLIND)));
            }
            if (o.comparesRouters() && !RouterTrainer.isFinished(run.textAwareRouterDir(), o.routerOptions())) {
                jobs.add(new ExpertLauncher.Job("text-aware router", -1, run.textAwareRouterDir(), List.of(
                        "train-router", "--run", root, "--seed", seed, "--router", Reproduction.Options.TEXT_AWARE,
                        "--out", run.textAwareRouterDir().toAbsolutePath().toString())));
            }
        }
        return jobs;
    }

    /** Runs the jobs, P at a time, reporting each end; throws naming every model that failed and its log. */
    private static List<ExpertLauncher.JobOutcome> runPool(RunLayout run, List<ExpertLauncher.Job> jobs, int parallel,
                                                           ProgressListener listener) {
        return runPool(run, jobs, parallel, listener, oc -> { });
    }

    /** As {@link #runPool(RunLayout, List, int, ProgressListener)}, calling {@code onEnd} as each process ends. */
    private static List<ExpertLauncher.JobOutcome> runPool(RunLayout run, List<ExpertLauncher.Job> jobs, int parallel,
                                                           ProgressListener listener,
                                                           java.util.function.Consumer<ExpertLauncher.JobOutcome> onEnd) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        boolean onlyExperts = jobs.stream().allMatch(j -> j.cluster() >= 0);
        String task = onlyExperts ? "experts (one process each, logs in experts/*/train.log)"
                : "experts, monolith and router (one process each, logs in train.log of each model folder)";
        int[] done = {0};
        List<ExpertLauncher.JobOutcome> outcomes = ExpertLauncher.launchJobs(jobs, parallel, oc -> {
            synchronized (done) {
                onEnd.accept(oc);
                done[0]++;
                listener.onProgress(new ProgressEvent(task, done[0], jobs.size(), java.util.Map.of()));
            }
        });
        List<String> failed = new ArrayList<>();
        for (ExpertLauncher.JobOutcome oc : outcomes) {
            if (oc.exitCode() != 0) {
                failed.add(oc.job().label() + " (exit " + oc.exitCode() + ", log " + oc.log() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("Training failed: " + String.join("; ", failed)
                    + ". Fix the cause and run the same command again: finished models are kept.");
        }
        return outcomes;
    }
}
