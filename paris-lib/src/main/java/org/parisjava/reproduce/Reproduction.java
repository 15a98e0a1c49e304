package org.parisjava.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.parisjava.data.DatasetOptions;
import org.parisjava.data.Datasets;
import org.parisjava.data.ImageCaptionDataset;
import org.parisjava.data.Shard;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.io.WriterLock;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoders;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.train.ExpertTrainer;
import org.parisjava.train.MonolithTrainer;
import org.parisjava.train.RouterOptions;
import org.parisjava.train.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Paris pipeline on one run folder, as a list of stages: cluster, the K isolated experts,
 * the monolith with the same total compute, the router, the evaluation classifier, every inference
 * strategy on the same prompts and seeds, then the six figures and the results table
 * (docs/design.md, section 4). Each stage ({@link PipelineStage}) reads and writes
 * only files of the run folder.
 *
 * <p>Before the first stage starts, every stage validates the configuration, so a run that could not
 * finish (a dataset the evaluation cannot score, a missing feature model) is refused at once with
 * the reason. It resumes: a stage whose outputs are complete is not redone, and a training stage
 * that was interrupted continues from its newest checkpoint. The run's settings go to run.json
 * before anything else and a run folder made with other settings is refused; stage timings go to
 * reproduce.json ({@link RunManifest}). The library reports progress through the listener and
 * logs; it never prints.
 */
public final class Reproduction {
    private static final Logger LOG = LoggerFactory.getLogger(Reproduction.class);

    /** The stages, in order. */
    public enum Stage {
        CLUSTER, EXPERTS, MONOLITH, ROUTER, CLASSIFIER, EVALUATE, FIGURES;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The stage objects, in the order of {@link Stage}. */
    private static final List<PipelineStage> STAGES = List.of(new ClusterStage(), new ExpertsStage(),
            new MonolithStage(), new RouterStage(), new ClassifierStage(), new EvaluateStage(), new FiguresStage());

    /** Trains the experts of a run. The library's default trains them one after another in this process. */
    @FunctionalInterface
    public interface ExpertRunner {
        /** Trains (or resumes) expert k for every k in {@code clusters}; throws if any of them fails. */
        void train(RunLayout run, List<Integer> clusters, TrainOptions options, ProgressListener listener);

        /**
         * Trains (or resumes) the experts of {@code clusters} and, where this runner can, the unfinished models of
         * the stages in {@code beside} in the same pool: the monolith and the routers need nothing the experts
         * write, so on a machine of few cores they train side by side with them, longest first, instead of each
         * stage in turn with all cores (which small models use poorly). A stage it trains it records in
         * reproduce.json with {@link RunManifest.StageRecord#beside()} "experts"; the stage then finds its outputs
         * complete. Throws if any model fails. The default trains the experts only, and the other stages run after
         * them on their own.
         *
         * @param beside the later training stages that may join ({@link Stage#MONOLITH}, {@link Stage#ROUTER}), those
         *               of the run's stages that are to run and are unfinished
         */
        default void trainBeside(RunLayout run, Options o, List<Integer> clusters, Set<Stage> beside,
                                 ProgressListener listener) {
            train(run, clusters, o.expertOptions(), listener);
        }

        ExpertRunner IN_PROCESS = (run, clusters, options, listener) -> {
            for (int k : clusters) {
                ExpertTrainer.train(run, k, options, listener);
            }
        };
    }

    /**
     * What a reproduction runs.
     *
     * @param preset      the scale (run presets: smoke, demo, paper-tiny, paper-b2, paper-xl2)
     * @param seed        seeds the data, the clustering, every model and the sampling noise
     * @param dataset     dataset spec (null: the preset's)
     * @param features    clustering features: {@code pca}, or {@code model:PATH} (a TorchScript/ONNX
     *                    encoder such as DINOv2, as the paper uses)
     * @param evalImages  generated images per strategy
     * @param strategies  strategies to compare
     * @param experts     how the experts are trained (in this process, or one OS process each)
     * @param text        text encoder: {@code hashed}, or {@code hf:PATH} (CLIP from a Hugging Face folder,
     *                    loaded and recorded in run.json)
     * @param latent      latent space: {@code identity}, or {@code hf:PATH} (a diffusers AutoencoderKL folder such
     *                    as sd-vae-ft-mse, loaded and recorded in run.json)
     * @param evalFeatures the feature space of the quality metrics: {@code auto} (the run's evaluation
     *                    classifier when the dataset has attributes, else the clustering features when they are a
     *                    model), {@code classifier}, {@code inception:PATH} (pytorch-fid's Inception TorchScript),
     *                    {@code hf:PATH} (a DINOv2 folder) or {@code model:PATH} ({@link EvaluationChoice})
     * @param router      {@code text-blind} (the paper's router, on (x_t, t); the default), {@code text-aware}
     *                    (also conditioned on the caption; beyond the paper) or {@code both} (the text-blind router in
     *                    {@code router/} and a text-aware one in {@code router-text/}, every routed strategy evaluated
     *                    with each); recorded in run.json
     * @param clip        the CLIP model of the CLIP score, {@code hf:PATH} (a CLIPModel folder such as
     *                    clip-vit-large-patch14, or image_encoder/, text_encoder/ and tokenizer/ folders), or null:
     *                    no CLIP score ({@link EvaluationChoice#checkClip}); recorded in run.json
     */
    public record Options(Preset preset, long seed, String dataset, String features, int evalImages,
                          List<RoutingStrategy> strategies, ExpertRunner experts, String text, String latent,
                          String evalFeatures, String router, String clip) {
        /** The paper's router: reads (x_t, t) only. */
        public static final String TEXT_BLIND = "text-blind";
        /** The router that also reads the caption (beyond the paper). */
        public static final String TEXT_AWARE = "text-aware";
        /** Both routers in one run, the routed strategies evaluated with each (the comparison of the two). */
        public static final String BOTH = "both";

        public Options {
            router = router == null ? TEXT_BLIND : router;
            if (!router.equals(TEXT_BLIND) && !router.equals(TEXT_AWARE) && !router.equals(BOTH)) {
                throw new IllegalArgumentException("Unknown router '" + router + "'; known: " + TEXT_BLIND + ", "
                        + TEXT_AWARE + ", " + BOTH);
            }
            Objects.requireNonNull(preset, "preset");
            if (evalImages < 2) {
                throw new IllegalArgumentException("Invalid evalImages: " + evalImages + " (at least 2)");
            }
            strategies = List.copyOf(strategies);
            if (strategies.isEmpty()) {
                throw new IllegalArgumentException("No strategy to evaluate");
            }
            experts = experts == null ? ExpertRunner.IN_PROCESS : experts;
            features = features == null ? "pca" : features;
            text = TextEncoders.check(text);
            latent = LatentCodecs.check(latent);
            evalFeatures = EvaluationChoice.check(evalFeatures);
            clip = EvaluationChoice.checkClip(clip);
        }

        /** Options without a CLIP score. */
        public Options(Preset preset, long seed, String dataset, String features, int evalImages,
                       List<RoutingStrategy> strategies, ExpertRunner experts, String text, String latent,
                       String evalFeatures, String router) {
            this(preset, seed, dataset, features, evalImages, strategies, experts, text, latent, evalFeatures, router,
                    null);
        }

        /** These options with the CLIP score measured by {@code spec} ({@code hf:PATH}, or null for none). */
        public Options withClip(String spec) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, experts, text, latent,
                    evalFeatures, router, spec);
        }

        /** Options with the automatic evaluation feature space and the paper's text-blind router. */
        public Options(Preset preset, long seed, String dataset, String features, int evalImages,
                       List<RoutingStrategy> strategies, ExpertRunner experts, String text, String latent) {
            this(preset, seed, dataset, features, evalImages, strategies, experts, text, latent, EvaluationChoice.AUTO);
        }

        /** Options with the paper's text-blind router. */
        public Options(Preset preset, long seed, String dataset, String features, int evalImages,
                       List<RoutingStrategy> strategies, ExpertRunner experts, String text, String latent,
                       String evalFeatures) {
            this(preset, seed, dataset, features, evalImages, strategies, experts, text, latent, evalFeatures,
                    TEXT_BLIND);
        }

        public Options withEvalFeatures(String e) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, experts, text, latent, e,
                    router, clip);
        }

        /** The preset's settings with the paper's five strategies, experts trained in this process. */
        public static Options of(Preset preset, long seed) {
            return new Options(preset, seed, null, "pca", preset.evalImages(), RoutingStrategy.paperComparison(),
                    ExpertRunner.IN_PROCESS, TextEncoders.HASHED, LatentCodecs.IDENTITY);
        }

        public Options withText(String t) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, experts, t, latent, evalFeatures,
                    router, clip);
        }

        public Options withLatent(String l) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, experts, text, l, evalFeatures,
                    router, clip);
        }

        public Options withDataset(String spec) {
            return new Options(preset, seed, spec, features, evalImages, strategies, experts, text, latent, evalFeatures,
                    router, clip);
        }

        public Options withFeatures(String f) {
            return new Options(preset, seed, dataset, f, evalImages, strategies, experts, text, latent, evalFeatures,
                    router, clip);
        }

        public Options withEvalImages(int n) {
            return new Options(preset, seed, dataset, features, n, strategies, experts, text, latent, evalFeatures,
                    router, clip);
        }

        public Options withStrategies(List<RoutingStrategy> s) {
            return new Options(preset, seed, dataset, features, evalImages, s, experts, text, latent, evalFeatures,
                    router, clip);
        }

        public Options withExperts(ExpertRunner runner) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, runner, text, latent,
                    evalFeatures, router, clip);
        }

        public Options withRouter(String r) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, experts, text, latent,
                    evalFeatures, r, clip);
        }

        /** Whether the run's router ({@code router/}) reads the caption as well ({@link #TEXT_AWARE}). */
        public boolean textAwareRouter() {
            return TEXT_AWARE.equals(router);
        }

        /** Whether a text-aware router is trained beside the text-blind one and compared with it ({@link #BOTH}). */
        public boolean comparesRouters() {
            return BOTH.equals(router);
        }

        public String datasetSpec() {
            return dataset != null ? dataset : preset.dataset();
        }

        public TrainOptions expertOptions() {
            return TrainOptions.of(preset, seed).withText(text);
        }

        public TrainOptions monolithOptions() {
            return MonolithTrainer.matchedCompute(expertOptions(), preset.coarseClusters());
        }

        public RouterOptions routerOptions() {
            return RouterOptions.of(preset, seed);
        }
    }

    /**
     * The outcome: the evaluation report, the table beside the paper, the figure files, the stage log.
     * Report and summary are null when the figures stage did not run.
     */
    public record Result(RunLayout run, StrategyEvaluation.Report report, ResultsSummary summary, List<Path> figures,
                         List<RunManifest.StageRecord> stages) {
    }

    private Reproduction() {
    }

    /** The stage object of {@code id}. */
    public static PipelineStage stage(Stage id) {
        return STAGES.get(id.ordinal());
    }

    /** Runs (or resumes) every stage in {@code run}. */
    public static Result run(RunLayout run, Options o, ProgressListener listener) {
        return run(run, o, listener, EnumSet.noneOf(Stage.class), EnumSet.noneOf(Stage.class));
    }

    /**
     * Runs (or resumes) the stages up to and including {@code last}: what a notebook about one stage
     * needs. The report and summary of the result are null unless {@code last} is FIGURES.
     */
    public static Result runThrough(RunLayout run, Options o, Stage last, ProgressListener listener) {
        Set<Stage> skip = EnumSet.noneOf(Stage.class);
        for (Stage s : Stage.values()) {
            if (s.ordinal() > last.ordinal()) {
                skip.add(s);
            }
        }
        return run(run, o, listener, EnumSet.noneOf(Stage.class), skip);
    }

    /**
     * Evaluates a run again (every strategy in {@code o}, on the run's prompts and seeds) and redraws
     * the figures; stages that have not finished yet run first.
     */
    public static Result reevaluate(RunLayout run, Options o, ProgressListener listener) {
        return run(run, o, listener, EnumSet.of(Stage.EVALUATE), EnumSet.noneOf(Stage.class));
    }

    /** The options a run was made with, from its run.json (experts trained in this process). */
    public static Options fromRun(RunLayout run) {
        return RunManifest.readOptions(run);
    }

    /**
     * Refuses, before anything runs, a configuration one of the stages could not finish: every stage
     * that would run checks the whole configuration.
     *
     * @throws IllegalArgumentException listing every missing or invalid model folder (a paper preset needs
     *                                  CLIP, the SD-VAE and DINOv2) and the dataset's problem at once; else with the
     *                                  first stage's reason
     */
    public static void validate(RunLayout run, Options o) {
        validate(run, o, EnumSet.noneOf(Stage.class));
    }

    /** As {@link #validate(RunLayout, Options)} for a run of the stages up to and including {@code last}. */
    public static void validateThrough(RunLayout run, Options o, Stage last) {
        Set<Stage> skip = EnumSet.noneOf(Stage.class);
        for (Stage s : Stage.values()) {
            if (s.ordinal() > last.ordinal()) {
                skip.add(s);
            }
        }
        validate(run, o, skip);
    }

    private static void validate(RunLayout run, Options o, Set<Stage> skip) {
        RunManifest.checkSettings(run, o); // a folder made with other settings, refused before anything is said or done
        boolean needsDataset = !skip.contains(Stage.CLUSTER) && !stage(Stage.CLUSTER).isDone(run, o);
        ModelFolders.check(o, needsDataset); // every missing folder, weight file or dataset at once
        for (PipelineStage s : STAGES) {
            if (!skip.contains(s.id())) {
                s.validate(run, o);
            }
        }
    }

    private static Result run(RunLayout run, Options o, ProgressListener listener, Set<Stage> redo, Set<Stage> skip) {
        Objects.requireNonNull(listener, "listener");
        validate(run, o, skip);
        // one reproduce per run folder, refused before it writes anything (run.json, reproduce.json)
        try (WriterLock whole = WriterLock.acquire(run.root(), "paris reproduce")) {
            return runLocked(run, o, listener, redo, skip);
        }
    }

    private static Result runLocked(RunLayout run, Options o, ProgressListener listener, Set<Stage> redo,
                                    Set<Stage> skip) {
        RunManifest.writeOrCheck(run, o);
        List<RunManifest.StageRecord> log = new ArrayList<>(RunManifest.readStages(run));
        List<PipelineStage> todo = STAGES.stream().filter(s -> !skip.contains(s.id())).toList();
        for (int i = 0; i < todo.size(); i++) {
            PipelineStage s = todo.get(i);
            String label = s.id().label();
            listener.onProgress(new ProgressEvent("reproduce", i, todo.size(), Map.of()));
            long t0 = System.nanoTime();
            boolean skipped = !redo.contains(s.id()) && s.isDone(run, o);
            if (skipped) {
                boolean pooled = RunManifest.readStages(run).stream()
                        .anyMatch(r -> r.stage().equals(label) && r.beside() != null && !r.skipped());
                LOG.info(pooled ? "stage {} is complete in {}: trained beside the experts"
                        : "stage {} is complete in {}: skipped", label, run.root());
            } else {
                LOG.info("stage {} ({}/{}) in {}", label, i + 1, todo.size(), run.root());
                requireInputs(run, o, s);
                // one writer per stage: a trainer started by hand on the same folder is refused, naming the holder
                try (WriterLock lock = WriterLock.acquire(stageDir(run, s.id()), "paris reproduce, stage " + label)) {
                    if (redo.contains(s.id())) {
                        s.redo(run, o, listener);
                    } else if (s.id() == Stage.EXPERTS) {
                        ExpertsStage.run(run, o, besideExperts(run, o, todo), listener);
                    } else {
                        s.run(run, o, listener);
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            log = new ArrayList<>(RunManifest.readStages(run)); // with the stages trained beside the experts
            boolean recorded = log.stream().anyMatch(r -> r.stage().equals(label));
            if (!skipped || !recorded) { // a skipped stage keeps the timing of the run that did it
                log.removeIf(r -> r.stage().equals(label));
                log.add(new RunManifest.StageRecord(label, skipped, secs, Instant.now().toString()));
            }
            log.sort(java.util.Comparator.comparingInt(r -> stageOrder(r.stage())));
            RunManifest.writeStages(run, log);
        }
        listener.onProgress(new ProgressEvent("reproduce", todo.size(), todo.size(), Map.of()));
        if (skip.contains(Stage.FIGURES)) {
            return new Result(run, null, null, List.of(), List.copyOf(log));
        }
        StrategyEvaluation.Report report = EvaluateStage.readReport(run);
        return new Result(run, report, summary(run), FiguresStage.files(run), List.copyOf(log));
    }

    /** A stage label's place in {@link Stage}'s order; unknown labels last. */
    private static int stageOrder(String label) {
        for (Stage s : Stage.values()) {
            if (s.label().equals(label)) {
                return s.ordinal();
            }
        }
        return Stage.values().length;
    }

    /** The training stages that may train beside the experts: to run in this call, and unfinished. */
    private static Set<Stage> besideExperts(RunLayout run, Options o, List<PipelineStage> todo) {
        Set<Stage> out = EnumSet.noneOf(Stage.class);
        for (PipelineStage s : todo) {
            if ((s.id() == Stage.MONOLITH || s.id() == Stage.ROUTER) && !s.isDone(run, o)) {
                out.add(s.id());
            }
        }
        return out;
    }

    /** A stage reads only what earlier stages wrote: each of its inputs must be in the run folder. */
    private static void requireInputs(RunLayout run, Options o, PipelineStage s) {
        for (Path p : s.inputs(run, o)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException("Stage " + s.id().label() + " needs " + p
                        + ", which no earlier stage of " + run.root() + " wrote");
            }
        }
    }

    /** Whether a stage's outputs are complete in {@code run}. */
    public static boolean isDone(RunLayout run, Options o, Stage s) {
        return stage(s).isDone(run, o);
    }

    /** The stages still to run, in order. */
    public static List<Stage> pending(RunLayout run, Options o) {
        List<Stage> out = new ArrayList<>();
        for (PipelineStage s : STAGES) {
            if (!s.isDone(run, o)) {
                out.add(s.id());
            }
        }
        return out;
    }

    /**
     * Records {@code o} in the run's run.json, or checks that an existing run.json agrees (else
     * throws, touching nothing): what {@code paris reproduce} does first, for commands that start a
     * run folder another way ({@code paris cluster}, {@code paris submit}), so that later stages use
     * the same preset and seed. With PCA features it does not start PyTorch (the clustering computes
     * nothing with it): a new run.json records the PyTorch threads as unknown, and the stages that train
     * record theirs (each checkpoint, and {@code paris reproduce} in run.json); with a model's features
     * it records this process's.
     *
     * @throws IllegalArgumentException if run.json records other settings
     */
    public static void recordRun(RunLayout run, Options o) {
        RunManifest.writeOrCheck(run, o, null, !"pca".equals(o.features()));
    }

    /**
     * As {@link #recordRun(RunLayout, Options)}, recording {@code device} ({@code cpu}, {@code gpu:N}) as
     * the device the run's stages start on: for a run whose stages run on other machines than this one
     * ({@code paris submit}); null keeps this process's device for a new run, the recorded one otherwise.
     * It never starts PyTorch: the PyTorch threads of this machine are not those of the machines that
     * will train.
     */
    public static void recordRun(RunLayout run, Options o, String device) {
        RunManifest.writeOrCheck(run, o, device, false);
    }

    /**
     * Runs (or resumes) one stage of the run in {@code run}, in this process, with the settings its
     * run.json records (text encoder, latent codec, features, router kind, evaluation features...),
     * exactly as {@link #run} runs that stage: what one batch job of a run made by {@code paris submit}
     * does (package {@code org.parisjava.sched}). The stage is validated first (every model folder the run
     * names; the dataset for the cluster stage) and its inputs must be in the run folder. Unlike
     * {@link #run} it holds the stage's writer lock only, not the run's (a scheduler trains the experts,
     * the monolith and the router at once; for {@link Stage#EXPERTS} each expert's own lock); its timing
     * goes to reproduce.json under a lock of that file, as jobs of one run end at the same time.
     *
     * @return false when the stage was complete already, so nothing ran
     * @throws IllegalArgumentException when the run has no run.json, or the stage could not finish (the reason)
     * @throws IllegalStateException    when an input of the stage is missing
     */
    public static boolean runStage(RunLayout run, Stage s, ProgressListener listener) {
        Options o = fromRun(run);
        PipelineStage stage = stage(s);
        validateStage(run, o, stage);
        if (stage.isDone(run, o)) {
            LOG.info("stage {} is complete in {}: nothing to do", s.label(), run.root());
            RunManifest.recordStage(run, s.label(), true, 0, false);
            return false;
        }
        requireInputs(run, o, stage);
        LOG.info("stage {} in {}", s.label(), run.root());
        long t0 = System.nanoTime();
        if (s == Stage.EXPERTS) { // each expert holds its own folder's lock: an array of jobs may train the others
            stage.run(run, o, listener);
        } else {
            try (WriterLock lock = WriterLock.acquire(stageDir(run, s), "stage " + s.label())) {
                stage.run(run, o, listener);
            }
        }
        // the stage log the figures read (training compute, fig. 6), as run() keeps it
        RunManifest.recordStage(run, s.label(), false, (System.nanoTime() - t0) / 1e9, false);
        return true;
    }

    /**
     * Trains (or resumes) expert {@code k} of the run in {@code run} with its run.json's settings, as the
     * experts stage of {@link #run} trains it: one task of a job array.
     *
     * @return false when the expert was trained already, so nothing ran
     * @throws IllegalArgumentException when the run has no run.json, k is not one of its K experts, or the
     *                                  experts stage could not finish
     * @throws IllegalStateException    when the expert's shard is missing
     */
    public static boolean runExpert(RunLayout run, int k, ProgressListener listener) {
        Options o = fromRun(run);
        int experts = o.preset().coarseClusters();
        if (k < 0 || k >= experts) {
            throw new IllegalArgumentException("Expert " + k + ": the run " + run.root() + " has K=" + experts
                    + " experts (0.." + (experts - 1) + ")");
        }
        validateStage(run, o, stage(Stage.EXPERTS));
        if (!TrainedModels.unfinishedExperts(run, o).contains(k)) {
            LOG.info("expert {} of {} is trained: nothing to do", k, run.root());
            return false;
        }
        if (!Shard.exists(run.shardDir(k))) {
            throw new IllegalStateException("Expert " + k + " needs " + run.shardDir(k)
                    + ", which the cluster stage of " + run.root() + " has not written");
        }
        long t0 = System.nanoTime();
        ExpertRunner.IN_PROCESS.train(run, List.of(k), o.expertOptions(), listener);
        // the experts of an array counted together in the stage log, as the experts stage of run() counts them
        RunManifest.recordStage(run, Stage.EXPERTS.label(), false, (System.nanoTime() - t0) / 1e9, true);
        return true;
    }

    /**
     * The results table beside the paper's and its statement, of a run whose figures stage is done
     * (what {@link Result#summary()} holds after {@link #run}).
     *
     * @throws IllegalStateException when the run has no evaluation report yet
     */
    public static ResultsSummary summary(RunLayout run) {
        // with --router both, the routed strategies sampled with the text-aware router are rows too
        return ResultsSummary.of(Figures.resultsTable(Figures.withTextAwareRows(EvaluateStage.readReport(run),
                EvaluateStage.readTextAwareReport(run))));
    }

    /** What {@link #validate} checks, for one stage: the model folders (the dataset too, for clustering), then the stage. */
    private static void validateStage(RunLayout run, Options o, PipelineStage s) {
        ModelFolders.check(o, s.id() == Stage.CLUSTER && !s.isDone(run, o));
        s.validate(run, o);
    }

    /** The folder a stage writes, whose {@link WriterLock} the stage holds while it runs. */
    static Path stageDir(RunLayout run, Stage s) {
        return switch (s) {
            case CLUSTER -> run.clusteringDir();
            case EXPERTS -> run.expertsDir();
            case MONOLITH -> run.monolithDir();
            case ROUTER -> run.routerDir();
            case CLASSIFIER -> ClassifierStage.dir(run);
            case EVALUATE -> run.evalDir();
            case FIGURES -> run.figuresDir();
        };
    }

    /** The run's dataset at the preset's scale: its image count (0 = all) and image side. */
    public static ImageCaptionDataset openDataset(Options o) {
        Preset p = o.preset();
        return Datasets.open(o.datasetSpec(), DatasetOptions.defaults()
                .withLimit(p.trainImages())
                .withImageSize(p.imageSize())
                .withSeed(o.seed()));
    }
}
