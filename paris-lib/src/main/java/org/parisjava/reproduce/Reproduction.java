package org.parisjava.reproduce;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.parisjava.cluster.ClusteringPipeline;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.DatasetOptions;
import org.parisjava.data.Datasets;
import org.parisjava.data.FashionMnistDataset;
import org.parisjava.data.ImageCaptionDataset;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.Shard;
import org.parisjava.data.ShardWriter;
import org.parisjava.eval.ClassifierConfig;
import org.parisjava.eval.FeatureClassifier;
import org.parisjava.eval.GaussianStats;
import org.parisjava.eval.ModelFlops;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.io.Json;
import org.parisjava.io.WriterLock;
import org.parisjava.run.ComputeThreads;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.ExpertTrainer;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.MonolithTrainer;
import org.parisjava.train.RouterOptions;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Paris pipeline on one run folder, stage by stage: cluster, the K isolated experts, the
 * monolith with the same total compute, the router, the evaluation classifier, every inference
 * strategy on the same prompts and seeds, then the six figures and the results table.
 *
 * <p>It resumes: a stage whose outputs are complete is not redone, and a training stage that was
 * interrupted continues from its newest checkpoint. The run's preset, seed and settings are
 * written to run.json before anything else; a run folder made with other settings is refused.
 * Stage timings go to reproduce.json. The library reports progress through the listener and logs;
 * it never prints.
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

    /** Trains the experts of a run. The library's default trains them one after another in this process. */
    @FunctionalInterface
    public interface ExpertRunner {
        /** Trains (or resumes) expert k for every k in {@code clusters}; throws if any of them fails. */
        void train(RunLayout run, List<Integer> clusters, TrainOptions options, ProgressListener listener);

        ExpertRunner IN_PROCESS = (run, clusters, options, listener) -> {
            for (int k : clusters) {
                ExpertTrainer.train(run, k, options, listener);
            }
        };
    }

    /**
     * What a reproduction runs.
     *
     * @param preset      the scale (run presets: smoke, demo, paper-b2, paper-xl2)
     * @param seed        seeds the data, the clustering, every model and the sampling noise
     * @param dataset     dataset spec (null: the preset's)
     * @param features    clustering features: {@code pca}, or {@code model:PATH} (a TorchScript/ONNX
     *                    encoder such as DINOv2, as the paper uses)
     * @param evalImages  generated images per strategy
     * @param strategies  strategies to compare
     * @param experts     how the experts are trained (in this process, or one OS process each)
     */
    public record Options(Preset preset, long seed, String dataset, String features, int evalImages,
                          List<RoutingStrategy> strategies, ExpertRunner experts) {
        public Options {
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
        }

        /** The preset's settings with the paper's five strategies, experts trained in this process. */
        public static Options of(Preset preset, long seed) {
            return new Options(preset, seed, null, "pca", preset.evalImages(), RoutingStrategy.paperComparison(),
                    ExpertRunner.IN_PROCESS);
        }

        public Options withDataset(String spec) {
            return new Options(preset, seed, spec, features, evalImages, strategies, experts);
        }

        public Options withFeatures(String f) {
            return new Options(preset, seed, dataset, f, evalImages, strategies, experts);
        }

        public Options withEvalImages(int n) {
            return new Options(preset, seed, dataset, features, n, strategies, experts);
        }

        public Options withStrategies(List<RoutingStrategy> s) {
            return new Options(preset, seed, dataset, features, evalImages, s, experts);
        }

        public Options withExperts(ExpertRunner runner) {
            return new Options(preset, seed, dataset, features, evalImages, strategies, runner);
        }

        public String datasetSpec() {
            return dataset != null ? dataset : preset.dataset();
        }

        public TrainOptions expertOptions() {
            return TrainOptions.of(preset, seed);
        }

        public TrainOptions monolithOptions() {
            return MonolithTrainer.matchedCompute(expertOptions(), preset.coarseClusters());
        }

        public RouterOptions routerOptions() {
            return RouterOptions.of(preset, seed);
        }
    }

    /** What run.json records: enough to rerun the same thing. */
    record RunConfig(String preset, long seed, String dataset, String features, int evalImages, List<String> strategies,
                     Preset presetSettings, TrainOptions expert, TrainOptions monolith, RouterOptions router,
                     String created, String java, ComputeThreads threads) {
    }

    /** One finished stage in reproduce.json. */
    public record StageRecord(String stage, boolean skipped, double seconds, String finished) {
    }

    /** The outcome: the evaluation report, the table beside the paper, the figure files, the stage log. */
    public record Result(RunLayout run, StrategyEvaluation.Report report, ResultsSummary summary, List<Path> figures,
                         List<StageRecord> stages) {
    }

    public static final String STAGES_FILE = "reproduce.json";
    static final String CLASSIFIER_DIR = "classifier";
    static final String SAMPLES_DIR = "samples";
    static final String RESULTS_JSON = "results.json";

    private Reproduction() {
    }

    /** Runs (or resumes) every stage in {@code run}. */
    public static Result run(RunLayout run, Options o, ProgressListener listener) {
        return run(run, o, listener, java.util.EnumSet.noneOf(Stage.class), java.util.EnumSet.noneOf(Stage.class));
    }

    /**
     * Runs (or resumes) the stages up to and including {@code last}: what a notebook about one stage
     * needs. The report and summary of the result are null unless {@code last} is FIGURES.
     */
    public static Result runThrough(RunLayout run, Options o, Stage last, ProgressListener listener) {
        java.util.Set<Stage> skip = java.util.EnumSet.noneOf(Stage.class);
        for (Stage s : Stage.values()) {
            if (s.ordinal() > last.ordinal()) {
                skip.add(s);
            }
        }
        return run(run, o, listener, java.util.EnumSet.noneOf(Stage.class), skip);
    }

    /**
     * Evaluates a run again (every strategy in {@code o}, on the run's prompts and seeds) and redraws
     * the figures; stages that have not finished yet run first.
     */
    public static Result reevaluate(RunLayout run, Options o, ProgressListener listener) {
        return run(run, o, listener, java.util.EnumSet.of(Stage.EVALUATE), java.util.EnumSet.noneOf(Stage.class));
    }

    /** The options a run was made with, from its run.json (experts trained in this process). */
    public static Options fromRun(RunLayout run) {
        Path f = run.runConfig();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("No " + f.getFileName() + " in " + run.root()
                    + "; is it a run folder made by paris reproduce?");
        }
        RunConfig c = Json.read(f, RunConfig.class);
        if (c.preset() == null) {
            throw new IllegalArgumentException(f + " names no preset");
        }
        return new Options(Preset.of(c.preset()), c.seed(), c.dataset(), c.features(), c.evalImages(),
                c.strategies() == null ? RoutingStrategy.paperComparison()
                        : c.strategies().stream().map(RoutingStrategy::parse).toList(), ExpertRunner.IN_PROCESS);
    }

    private static Result run(RunLayout run, Options o, ProgressListener listener, java.util.Set<Stage> redo,
                              java.util.Set<Stage> skip) {
        Objects.requireNonNull(listener, "listener");
        // one reproduce per run folder, refused before it writes anything (run.json, reproduce.json)
        try (WriterLock whole = WriterLock.acquire(run.root(), "paris reproduce")) {
            return runLocked(run, o, listener, redo, skip);
        }
    }

    private static Result runLocked(RunLayout run, Options o, ProgressListener listener, java.util.Set<Stage> redo,
                                    java.util.Set<Stage> skip) {
        writeOrCheckRunConfig(run, o);
        List<StageRecord> stages = new ArrayList<>(readStages(run));
        Stage[] all = java.util.Arrays.stream(Stage.values()).filter(s -> !skip.contains(s)).toArray(Stage[]::new);
        StrategyEvaluation.Report report = null;
        ResultsSummary summary = null;
        List<Path> figures = List.of();
        for (int i = 0; i < all.length; i++) {
            Stage s = all[i];
            listener.onProgress(new ProgressEvent("reproduce", i, all.length, Map.of()));
            long t0 = System.nanoTime();
            boolean skipped = !redo.contains(s) && isDone(run, o, s);
            // one writer per stage: a second reproduce (or a trainer) on the same folder is refused, naming the holder
            try (WriterLock lock = skipped && s != Stage.FIGURES ? null
                    : WriterLock.acquire(stageDir(run, s), "paris reproduce, stage " + s.label())) {
                if (skipped) {
                    LOG.info("stage {} is complete in {}: skipped", s.label(), run.root());
                } else {
                    LOG.info("stage {} ({}/{}) in {}", s.label(), i + 1, all.length, run.root());
                    switch (s) {
                        case CLUSTER -> cluster(run, o, listener);
                        case EXPERTS -> o.experts().train(run, unfinishedExperts(run, o), o.expertOptions(), listener);
                        case MONOLITH -> MonolithTrainer.train(run, o.preset().coarseClusters(), o.expertOptions(), listener);
                        case ROUTER -> RouterTrainer.train(run, o.preset().coarseClusters(), o.routerOptions(), listener);
                        case CLASSIFIER -> trainClassifier(run, o, listener);
                        case EVALUATE -> evaluate(run, o, listener);
                        case FIGURES -> {
                            // always redrawn below
                        }
                    }
                }
                if (s == Stage.FIGURES) {
                    report = readReport(run);
                    FiguresResult f = Figures.write(run, o, report, stages);
                    figures = f.files();
                    summary = f.summary();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            StageRecord rec = new StageRecord(s.label(), skipped, secs, Instant.now().toString());
            boolean recorded = stages.stream().anyMatch(r -> r.stage().equals(s.label()));
            if (!skipped || !recorded) { // a skipped stage keeps the timing of the run that did it
                stages.removeIf(r -> r.stage().equals(s.label()));
                stages.add(rec);
            }
            Json.write(run.root().resolve(STAGES_FILE), stages);
        }
        listener.onProgress(new ProgressEvent("reproduce", all.length, all.length, Map.of()));
        return new Result(run, report, summary, figures, List.copyOf(stages));
    }

    /** The folder a stage writes, whose {@link WriterLock} the stage holds while it runs. */
    static Path stageDir(RunLayout run, Stage s) {
        return switch (s) {
            case CLUSTER -> run.clusteringDir();
            case EXPERTS -> run.expertsDir();
            case MONOLITH -> run.monolithDir();
            case ROUTER -> run.routerDir();
            case CLASSIFIER -> classifierDir(run);
            case EVALUATE -> run.evalDir();
            case FIGURES -> run.figuresDir();
        };
    }

    /** Whether a stage's outputs are complete in {@code run}. */
    public static boolean isDone(RunLayout run, Options o, Stage s) {
        int k = o.preset().coarseClusters();
        return switch (s) {
            case CLUSTER -> Files.isRegularFile(run.clusteringDir().resolve("clustering.json"))
                    && java.util.stream.IntStream.range(0, k).allMatch(c -> Shard.exists(run.shardDir(c)));
            case EXPERTS -> unfinishedExperts(run, o).isEmpty();
            case MONOLITH -> finished(run.monolithDir(), o.monolithOptions().steps());
            case ROUTER -> RouterTrainer.isFinished(run.routerDir(), o.routerOptions());
            case CLASSIFIER -> Files.isRegularFile(classifierDir(run).resolve(FeatureClassifier.WEIGHTS));
            case EVALUATE -> Files.isRegularFile(run.evalDir().resolve(RESULTS_JSON));
            case FIGURES -> false;
        };
    }

    /** The stages still to run, in order. */
    public static List<Stage> pending(RunLayout run, Options o) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : Stage.values()) {
            if (!isDone(run, o, s)) {
                out.add(s);
            }
        }
        return out;
    }

    static Path classifierDir(RunLayout run) {
        return run.evalDir().resolve(CLASSIFIER_DIR);
    }

    static Path samplesDir(RunLayout run, String strategy) {
        return run.evalDir().resolve(SAMPLES_DIR).resolve(strategy);
    }

    private static boolean finished(Path modelDir, int steps) {
        Optional<Checkpoint> c = Checkpoint.latest(modelDir.resolve(FlowTrainer.CHECKPOINTS));
        return c.isPresent() && c.get().info().step() >= steps;
    }

    static List<Integer> unfinishedExperts(RunLayout run, Options o) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < o.preset().coarseClusters(); k++) {
            if (!finished(run.expertDir(k), o.expertOptions().steps())) {
                out.add(k);
            }
        }
        return out;
    }

    private static void writeOrCheckRunConfig(RunLayout run, Options o) {
        Path f = run.runConfig();
        if (Files.isRegularFile(f)) {
            RunConfig old = Json.read(f, RunConfig.class);
            if (!o.preset().name().equals(old.preset()) || o.seed() != old.seed()
                    || !o.datasetSpec().equals(old.dataset()) || o.evalImages() != old.evalImages()
                    || !o.features().equals(old.features() == null ? "pca" : old.features())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s was made with preset %s, seed %d, dataset %s, features %s, %d eval images; this run asks"
                                + " for %s, %d, %s, %s, %d. Use another output folder, or the same settings to resume.",
                        run.root(), old.preset(), old.seed(), old.dataset(), old.features(), old.evalImages(),
                        o.preset().name(), o.seed(), o.datasetSpec(), o.features(), o.evalImages()));
            }
            ComputeThreads now = ComputeThreads.current();
            if (old.threads() != null && old.threads().intraOp() != now.intraOp()) {
                LOG.warn("{} was started with {} PyTorch threads, this process has {}: stages trained now will not be"
                        + " bit-identical to the same stages at {} threads", run.root(), old.threads().intraOp(),
                        now.intraOp(), old.threads().intraOp());
            }
            return;
        }
        try {
            Files.createDirectories(run.root());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + run.root(), e);
        }
        Json.write(f, new RunConfig(o.preset().name(), o.seed(), o.datasetSpec(), o.features(), o.evalImages(),
                o.strategies().stream().map(RoutingStrategy::name).toList(), o.preset(), o.expertOptions(),
                o.monolithOptions(), o.routerOptions(), Instant.now().toString(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), ComputeThreads.current()));
    }

    /**
     * Records {@code o} in the run's run.json, or checks that an existing run.json agrees: what
     * {@code paris reproduce} does first, for commands that start a run folder another way
     * ({@code paris cluster}), so that later stages use the same preset and seed.
     *
     * @throws IllegalArgumentException if run.json records other settings
     */
    public static void recordRun(RunLayout run, Options o) {
        writeOrCheckRunConfig(run, o);
    }

    private static List<StageRecord> readStages(RunLayout run) {
        Path f = run.root().resolve(STAGES_FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        return List.of(Json.read(f, StageRecord[].class));
    }

    /** The run's dataset at the preset's scale: its image count (0 = all) and image side. */
    public static ImageCaptionDataset openDataset(Options o) {
        Preset p = o.preset();
        return Datasets.open(o.datasetSpec(), DatasetOptions.defaults()
                .withLimit(p.trainImages())
                .withImageSize(p.imageSize())
                .withSeed(o.seed()));
    }

    private static void cluster(RunLayout run, Options o, ProgressListener listener) {
        ClusteringPipeline.run(openDataset(o), PipelineOptions.of(o.preset(), o.seed()).withFeatures(o.features()), run,
                listener, o.seed());
    }

    /**
     * Real samples held in memory for the classifier, the prompts and the reference statistics:
     * every sample at the small presets, at most this many per cluster at paper scale.
     */
    static final int MAX_SAMPLES_PER_CLUSTER = 2500;

    /** The first {@link #MAX_SAMPLES_PER_CLUSTER} samples of each of the run's shards, cluster by cluster. */
    static List<List<Sample>> shardSamples(RunLayout run, int k) {
        List<List<Sample>> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Shard s = Shard.open(run.shardDir(c));
            int n = Math.min(s.count(), MAX_SAMPLES_PER_CLUSTER);
            List<Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                samples.add(s.sample(i));
            }
            out.add(samples);
        }
        return out;
    }

    static ClassifierConfig classifierConfig(ImageSpec spec, List<String> attributes) {
        if (attributes.contains("shape") && attributes.contains("color")) {
            return ClassifierConfig.forShapes(spec);
        }
        if (attributes.contains("label")) {
            return ClassifierConfig.forAttribute(spec, "label", FashionMnistDataset.LABELS);
        }
        throw new IllegalArgumentException("No evaluation classifier for a dataset with attributes " + attributes
                + "; the project trains one for shapes (shape, color) and Fashion-MNIST (label)");
    }

    private static void trainClassifier(RunLayout run, Options o, ProgressListener listener) {
        int k = o.preset().coarseClusters();
        List<Sample> all = new ArrayList<>();
        shardSamples(run, k).forEach(all::addAll);
        Shard first = Shard.open(run.shardDir(0));
        ClassifierConfig cc = classifierConfig(first.spec(), first.attributeNames());
        try (FeatureClassifier fc = FeatureClassifier.train(all, cc,
                FeatureClassifier.Options.forImages(all.size(), o.seed()), listener)) {
            fc.save(classifierDir(run));
            LOG.info("evaluation classifier: held-out accuracy {}", fc.info().accuracy());
        }
    }

    /** The evaluation prompts: real captions drawn (seeded) from every cluster, with their cluster and attributes. */
    static List<StrategyEvaluation.Prompt> prompts(List<List<Sample>> byCluster, int n, long seed) {
        List<int[]> pool = new ArrayList<>();
        for (int c = 0; c < byCluster.size(); c++) {
            for (int i = 0; i < byCluster.get(c).size(); i++) {
                pool.add(new int[] {c, i});
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("The run's shards hold no samples");
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
        for (int i = pool.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int[] t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        List<StrategyEvaluation.Prompt> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] ci = pool.get(i % pool.size());
            Sample s = byCluster.get(ci[0]).get(ci[1]);
            out.add(new StrategyEvaluation.Prompt(s.caption(), ci[0], s.attributes()));
        }
        return out;
    }

    /** Real images for the reference statistics: up to {@code n}, drawn evenly over the shuffled data. */
    static List<ImageU8> referenceImages(List<List<Sample>> byCluster, int n, long seed) {
        List<ImageU8> all = new ArrayList<>();
        byCluster.forEach(c -> c.forEach(s -> all.add(s.image())));
        java.util.Collections.shuffle(all, new java.util.Random(seed ^ 0xFEEDL));
        return all.subList(0, Math.min(n, all.size()));
    }

    private static void evaluate(RunLayout run, Options o, ProgressListener listener) {
        int k = o.preset().coarseClusters();
        List<List<Sample>> byCluster = shardSamples(run, k);
        List<StrategyEvaluation.Prompt> prompts = prompts(byCluster, o.evalImages(), o.seed());
        try (NDManager m = NDManager.newBaseManager();
             FeatureClassifier fc = FeatureClassifier.load(classifierDir(run))) {
            Ensemble ensemble = Ensemble.load(run, k, m);
            ImageSpec spec = Shard.open(run.shardDir(0)).spec();
            Preset p = o.preset();
            EnsembleSampler sampler = new EnsembleSampler(ensemble,
                    new SamplerConfig(spec, p.samplingSteps(), p.cfgScale(), o.seed()));
            GaussianStats reference = GaussianStats.of(fc.features(
                    referenceImages(byCluster, Math.max(2 * o.evalImages(), 1000), o.seed())));
            ModelFlops expertFlops = ModelFlops.of(ensemble.expertConfig());
            ModelFlops routerFlops = ensemble.routerConfig() == null ? new ModelFlops("none", 0)
                    : ModelFlops.of(ensemble.routerConfig());
            int batch = Math.min(64, o.evalImages());
            try (TextEncoder encoder = FlowTrainer.textEncoder(ensemble.expertConfig())) {
                StrategyEvaluation.Report report = StrategyEvaluation.run(sampler, encoder, prompts, o.strategies(), fc,
                        reference, expertFlops, routerFlops, batch, listener,
                        s -> writeSamples(run, s, prompts, Figures.SAMPLE_COLUMNS));
                Files.createDirectories(run.evalDir());
                report.write(run.evalDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + run.evalDir(), e);
            }
        }
    }

    /** Keeps the first {@code n} images of a strategy as a small shard (eval/samples/STRATEGY) for the figures. */
    private static void writeSamples(RunLayout run, SamplingResult s, List<StrategyEvaluation.Prompt> prompts, int n) {
        Path dir = samplesDir(run, s.strategy());
        try (ShardWriter w = new ShardWriter(dir, 0, s.spec(), "generated by " + s.strategy(), 0L, List.of())) {
            for (int i = 0; i < Math.min(n, s.count()); i++) {
                w.add(new Sample(s.strategy() + "-" + i, s.image(i), prompts.get(i).caption(), Map.of()));
            }
        }
    }

    static StrategyEvaluation.Report readReport(RunLayout run) {
        Path f = run.evalDir().resolve(RESULTS_JSON);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("No evaluation results at " + f + "; the evaluate stage has not finished");
        }
        return Json.read(f, StrategyEvaluation.Report.class);
    }

    /** The figure files and the summary the figures stage produced. */
    record FiguresResult(List<Path> files, ResultsSummary summary) {
    }

    /** Core-seconds of each training stage from reproduce.json (wall time x cores), for figure 6. */
    public static Map<String, Double> measuredCompute(List<StageRecord> stages, int k) {
        Map<String, Double> out = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        for (StageRecord r : stages) {
            if (r.skipped()) {
                continue;
            }
            switch (r.stage()) {
                case "experts" -> out.put(k + " experts (together)", r.seconds() * cores);
                case "monolith" -> out.put("monolith", r.seconds() * cores);
                case "router" -> out.put("router", r.seconds() * cores);
                default -> {
                }
            }
        }
        return out;
    }
}
