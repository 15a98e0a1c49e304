package org.parisjava.reproduce;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.io.Json;
import org.parisjava.latent.LatentCodec;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.ComputeThreads;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;
import org.parisjava.text.TextEncoders;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.CheckpointInfo;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterOptions;
import org.parisjava.train.TrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two bookkeeping files at the top of a run folder: {@code run.json} (what the run is: preset,
 * seed, dataset, features, evaluation size, strategies and the resolved training options, enough
 * to run the same thing again) and {@code reproduce.json} (one record per finished stage: how long
 * it took and whether it was skipped as already complete).
 */
public final class RunManifest {
    /** The stage log, beside run.json. */
    public static final String STAGES_FILE = "reproduce.json";

    private static final Logger LOG = LoggerFactory.getLogger(RunManifest.class);

    private RunManifest() {
    }

    /** What run.json records. */
    record RunConfig(String preset, long seed, String dataset, String features, int evalImages, List<String> strategies,
                     Preset presetSettings, TrainOptions expert, TrainOptions monolith, RouterOptions router,
                     String created, String java, String text, String textEncoder, String latent,
                     String latentCodec, ComputeThreads threads, String evalFeatures, String device,
                     String precision, String routerKind, String clip) {
    }

    /**
     * One finished stage in reproduce.json.
     *
     * @param stage    the stage's label
     * @param skipped  whether its outputs were already complete, so nothing ran
     * @param seconds  wall-clock seconds the stage took
     * @param finished when it finished (ISO-8601)
     * @param beside   the stage whose pool of processes also trained this one (the monolith and the routers train
     *                 beside the experts under {@code paris reproduce}), so that its seconds overlap that stage's;
     *                 null for a stage that ran on its own
     */
    public record StageRecord(String stage, boolean skipped, double seconds, String finished, String beside) {
        /** A stage that ran on its own. */
        public StageRecord(String stage, boolean skipped, double seconds, String finished) {
            this(stage, skipped, seconds, finished, null);
        }

        /** How a person reads the record: the seconds, and "already done" or "beside experts" after them. */
        public String note() {
            return skipped ? "already done" : beside != null ? "beside " + beside : "";
        }
    }

    /**
     * Writes run.json for a new run folder; for an existing one, checks that it was made with the same
     * preset, seed, dataset, features and evaluation size, and refuses it otherwise.
     */
    static void writeOrCheck(RunLayout run, Reproduction.Options o) {
        writeOrCheck(run, o, null);
    }

    /**
     * As {@link #writeOrCheck(RunLayout, Reproduction.Options)}, recording {@code device} (a spec such as
     * {@code gpu:0}) as the device the run's stages start on instead of this process's; null keeps
     * this process's for a new run and the recorded one for an existing run (what {@code paris submit}
     * needs: its jobs run on other machines, with run.json's device; it calls the four-argument form
     * without starting PyTorch).
     */
    static void writeOrCheck(RunLayout run, Reproduction.Options o, String device) {
        writeOrCheck(run, o, device, true);
    }

    /**
     * As {@link #writeOrCheck(RunLayout, Reproduction.Options, String)}; with {@code engine} false this
     * process does not start PyTorch to read its thread settings (the clustering with PCA features, or a
     * login node writing batch jobs, computes nothing with it: starting libtorch took most of a second
     * of {@code paris cluster}). A new run.json then records the PyTorch threads as unknown
     * ({@link ComputeThreads#notStarted()}), and the first process that starts PyTorch on the run with
     * {@code engine} true ({@code paris reproduce}) records its own; every other member of an existing
     * run.json is kept.
     */
    static void writeOrCheck(RunLayout run, Reproduction.Options o, String device, boolean engine) {
        Path f = run.runConfig();
        if (Files.isRegularFile(f)) {
            RunConfig old = Json.read(f, RunConfig.class);
            refuseDifferences(run, old, o);
            if (upgradesToBoth(old, o)) { // the text-blind run stays as it is; the text-aware router comes on top
                LOG.info("{}: adding a text-aware router beside the text-blind one (--router both)", run.root());
                update(f, "routerKind", o.router());
            }
            if (device != null && !device.equals(old.device())) { // the device the next stages start on
                LOG.info("{}: stages start on device {} from now on (recorded: {})", run.root(), device, old.device());
                update(f, "device", device);
            }
            if (!engine) {
                return;
            }
            ComputeThreads now = ComputeThreads.current();
            if (old.threads() == null || !old.threads().known()) {
                update(f, "threads", now);
            } else if (old.threads().intraOp() != now.intraOp()) {
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
        String textEncoder = null;
        if (!o.text().equals(TextEncoders.HASHED)) { // load it now: a bad folder fails before any stage runs
            try (TextEncoder t = TextEncoders.open(o.text(), 0, 0)) {
                textEncoder = t.describe();
            }
        }
        String latentCodec = null;
        if (!o.latent().equals(LatentCodecs.IDENTITY)) { // the same for the VAE folder
            try (LatentCodec codec = LatentCodecs.open(o.latent())) {
                latentCodec = codec.describe();
            }
        }
        Json.write(f, new RunConfig(o.preset().name(), o.seed(), o.datasetSpec(), o.features(), o.evalImages(),
                o.strategies().stream().map(RoutingStrategy::name).toList(), o.preset(), o.expertOptions(),
                o.monolithOptions(), o.routerOptions(), Instant.now().toString(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), o.text(), textEncoder,
                o.latent(), latentCodec, engine ? ComputeThreads.current() : ComputeThreads.notStarted(), o.evalFeatures(),
                device != null ? device : ComputeDevice.currentSpec(),
                ComputeDevice.inferencePrecision().spec(), o.router(), o.clip()));
    }

    /**
     * Sets one member of run.json, keeping every other one as it is, including those this class does not
     * read (the {@code cluster} settings {@code paris cluster} adds).
     */
    private static void update(Path runJson, String member, Object value) {
        JsonObject j = Json.read(runJson, JsonObject.class);
        j.add(member, Json.gson().toJsonTree(value));
        Json.write(runJson, j);
    }

    /**
     * Refuses a request on a run folder whose run.json records other settings, naming each difference; nothing
     * happens for a folder without run.json.
     *
     * @throws IllegalArgumentException naming the folder and every setting that differs
     */
    static void checkSettings(RunLayout run, Reproduction.Options o) {
        Path f = run.runConfig();
        if (Files.isRegularFile(f)) {
            refuseDifferences(run, Json.read(f, RunConfig.class), o);
        }
        refuseOtherModels(run, o);
        refuseOtherClustering(run, o);
    }

    /** The clustering settings of clustering/config.json compared with the run's, top level and in "clustering". */
    private static final List<String> PIPELINE = List.of("features", "pcaComponents", "pcaSample", "fitSample",
            "modelInputSize", "imagenetNorm");
    private static final List<String> CLUSTERING = List.of("coarseClusters", "fineClusters", "balancing",
            "capacityFactor", "maxIterations", "tolerance", "coarseRestarts", "fineEngine");

    /**
     * Refuses a folder holding a clustering this run would not make, e.g. one `paris cluster` wrote with other
     * options (`--dataset fashion-mnist` clusters all 60,000 images at 28 px, the demo preset 8,000 at 16 px):
     * the experts would train on it without a word, or a changed K would cluster over it. Compares
     * clustering/config.json with the run's clustering settings, the image side where the preset sets one, and
     * the number of images (at most the preset's), naming each; settings an older config.json lacks are not
     * compared. Needs no dataset, so a clustered run moved without its data passes.
     */
    private static void refuseOtherClustering(RunLayout run, Reproduction.Options o) {
        Path file = run.clusteringDir().resolve(ClusterStage.CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonObject made = Json.read(file, JsonObject.class);
        JsonObject madeOptions = member(made, "options");
        JsonObject asked = Json.gson().toJsonTree(ClusterStage.options(o)).getAsJsonObject();
        List<String> differ = new java.util.ArrayList<>();
        for (String name : PIPELINE) {
            differIfRecorded(differ, name, madeOptions.get(name), asked.get(name));
        }
        for (String name : CLUSTERING) {
            differIfRecorded(differ, name, member(madeOptions, "clustering").get(name),
                    asked.getAsJsonObject("clustering").get(name));
        }
        int side = o.preset().imageSize();
        if (side > 0 && made.has("height") && made.has("width")) {
            differ(differ, "images", made.get("height").getAsInt() + "x" + made.get("width").getAsInt(), side + "x" + side);
        }
        int limit = o.preset().trainImages();
        if (limit > 0 && made.has("samples") && made.get("samples").getAsLong() > limit) {
            differ.add("samples: made with " + made.get("samples").getAsLong() + ", asked at most " + limit);
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(run.root() + " holds a clustering made with other settings than the "
                    + o.preset().name() + " preset's (" + file + "): " + String.join("; ", differ) + ". Use another"
                    + " output folder, or delete " + run.clusteringDir() + " and " + run.shardsDir()
                    + " so that this run clusters again.");
        }
    }

    private static JsonObject member(JsonObject o, String name) {
        return o.has(name) && o.get(name).isJsonObject() ? o.getAsJsonObject(name) : new JsonObject();
    }

    private static void differIfRecorded(List<String> out, String name, JsonElement made, JsonElement asked) {
        if (made != null) {
            differ(out, name, made, asked);
        }
    }

    /** The DiT settings a preset fixes, whatever the data and text encoder (which set the image and text sizes). */
    private static final List<String> ARCHITECTURE = List.of("patchSize", "hidden", "depth", "heads", "mlpRatio",
            "learnedPositions", "linearTextProjection", "exactGelu");

    /**
     * Refuses a folder whose expert or monolith checkpoints hold another DiT than the preset now builds
     * (a run left unfinished before the preset's model changed, e.g. to the exact GELU), naming each
     * differing setting and the folder, before any stage starts; without this the trainers each fail
     * alone, in their own logs ("from a different run"). Reads checkpoint.json only.
     */
    private static void refuseOtherModels(RunLayout run, Reproduction.Options o) {
        java.util.Map<Path, String> dirs = new java.util.LinkedHashMap<>(); // folder -> the DiT preset it trains
        for (int k = 0; k < o.preset().coarseClusters(); k++) {
            dirs.put(run.expertDir(k), o.expertOptions().modelPreset());
        }
        dirs.put(run.monolithDir(), o.monolithOptions().modelPreset());
        for (var e : dirs.entrySet()) {
            Path dir = e.getKey();
            JsonObject asked = Json.gson().toJsonTree(DiTConfig.of(e.getValue())).getAsJsonObject();
            Optional<CheckpointInfo> info = Checkpoint.peekLatestInfo(dir.resolve(FlowTrainer.CHECKPOINTS));
            if (info.isEmpty() || info.get().config() == null || !info.get().config().isJsonObject()
                    || !DiTConfig.class.getName().equals(info.get().configClass())) {
                continue;
            }
            JsonObject made = info.get().config().getAsJsonObject();
            List<String> differ = new java.util.ArrayList<>();
            for (String name : ARCHITECTURE) {
                // a field a checkpoint predates reads as its default (false)
                JsonElement m = made.has(name) ? made.get(name) : new JsonPrimitive(false);
                if (!m.equals(asked.get(name))) {
                    differ.add(name + ": made with " + m + ", asked " + asked.get(name));
                }
            }
            if (!differ.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds checkpoints of another model than the "
                        + o.preset().name() + " preset now builds: " + String.join("; ", differ) + ". The preset's"
                        + " model changed since this run was trained: start a new output folder, or resume it with the"
                        + " code that made it.");
            }
        }
    }

    private static void refuseDifferences(RunLayout run, RunConfig old, Reproduction.Options o) {
        List<String> differ = differences(old, o);
        if (!differ.isEmpty()) {
            boolean budget = differ.stream().anyMatch(d -> d.startsWith(BUDGET) || d.startsWith("monolith steps")
                    || d.startsWith("router steps"));
            throw new IllegalArgumentException(run.root() + " was made with other settings than this run asks for: "
                    + String.join("; ", differ) + (budget
                    ? ". The preset gives another training budget than run.json records (the preset changed since the"
                    + " run was made, or run.json was edited): start a new output folder, or resume it with the code"
                    + " that made it."
                    : ". Use another output folder, or the same settings to resume."));
        }
    }

    /**
     * The settings in which a run's run.json and a request differ, each as "name: made with X, asked Y": the
     * preset, seed, dataset, features, evaluation size, text encoder, latent space, router kind (text-blind and
     * both go on together), evaluation features, CLIP model, and the resolved training budget of the experts, the
     * monolith and the router (a preset whose numbers changed since the run was made).
     */
    static List<String> differences(RunConfig old, Reproduction.Options o) {
        List<String> out = new java.util.ArrayList<>();
        differ(out, "preset", old.preset(), o.preset().name());
        differ(out, "seed", old.seed(), o.seed());
        differ(out, "dataset", old.dataset(), o.datasetSpec());
        differ(out, "features", old.features() == null ? "pca" : old.features(), o.features());
        differ(out, "eval images", old.evalImages(), o.evalImages());
        differ(out, "text", TextEncoders.check(old.text()), o.text());
        differ(out, "latent", LatentCodecs.check(old.latent()), o.latent());
        if (!routersCompatible(routerKind(old), o.router())) {
            differ(out, "router", routerKind(old), o.router());
        }
        differ(out, "evaluation features", EvaluationChoice.check(old.evalFeatures()), o.evalFeatures());
        differ(out, "CLIP", clipName(EvaluationChoice.checkClip(old.clip())), clipName(o.clip()));
        if (old.expert() != null && old.preset().equals(o.preset().name())) {
            TrainOptions e = o.expertOptions();
            differ(out, BUDGET, budget(old.expert()), budget(e));
            differ(out, "expert model", old.expert().modelPreset(), e.modelPreset());
        }
        if (old.monolith() != null && old.preset().equals(o.preset().name())) {
            differ(out, "monolith steps", old.monolith().steps(), o.monolithOptions().steps());
        }
        if (old.router() != null && old.preset().equals(o.preset().name())) {
            differ(out, "router steps x batch", old.router().steps() + " x " + old.router().batch(),
                    o.routerOptions().steps() + " x " + o.routerOptions().batch());
        }
        return out;
    }

    private static final String BUDGET = "expert steps x batch at lr";

    private static String budget(TrainOptions t) {
        return t.steps() + " x " + t.batch() + " at " + t.learningRate();
    }

    private static void differ(List<String> out, String name, Object made, Object asked) {
        if (!java.util.Objects.equals(made, asked)) {
            out.add(name + ": made with " + made + ", asked " + asked);
        }
    }

    private static String clipName(String clip) {
        return clip == null ? "none" : clip;
    }

    /** A finished or started text-blind run may add the text-aware router beside its own: nothing made changes. */
    private static boolean upgradesToBoth(RunConfig old, Reproduction.Options o) {
        return o.comparesRouters() && routerKind(old).equals(Reproduction.Options.TEXT_BLIND);
    }

    /**
     * Whether a run made with router kind {@code made} goes on under a request for {@code asked}: the same kind,
     * or text-blind and both in either order, since a run of both routers holds the whole text-blind run (a
     * text-blind request resumes that part and leaves the text-aware router alone; a request for both adds it).
     */
    private static boolean routersCompatible(String made, String asked) {
        return made.equals(asked)
                || java.util.Set.of(made, asked).equals(java.util.Set.of(Reproduction.Options.TEXT_BLIND,
                        Reproduction.Options.BOTH));
    }

    /** The router a run.json asks for; runs made before the option existed have the paper's text-blind one. */
    private static String routerKind(RunConfig c) {
        return c.routerKind() == null ? Reproduction.Options.TEXT_BLIND : c.routerKind();
    }

    /** The options a run was made with, from its run.json (experts trained in this process). */
    static Reproduction.Options readOptions(RunLayout run) {
        Path f = run.runConfig();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("No " + f.getFileName() + " in " + run.root()
                    + "; is it a run folder made by paris reproduce?");
        }
        RunConfig c = Json.read(f, RunConfig.class);
        if (c.preset() == null) {
            throw new IllegalArgumentException(f + " names no preset");
        }
        return new Reproduction.Options(Preset.of(c.preset()), c.seed(), c.dataset(), c.features(), c.evalImages(),
                c.strategies() == null ? RoutingStrategy.paperComparison()
                        : c.strategies().stream().map(RoutingStrategy::parse).toList(),
                Reproduction.ExpertRunner.IN_PROCESS, c.text(), c.latent(), c.evalFeatures(), routerKind(c), c.clip());
    }

    /**
     * The device run.json records for the run's stages ({@code cpu} when it records none, as runs made
     * before the field existed), and the sampling precision ({@code fp32} when none): what a batch job of
     * the run computes on.
     *
     * @throws IllegalArgumentException when the run has no run.json
     */
    public static RecordedDevice recordedDevice(RunLayout run) {
        Path f = run.runConfig();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("No " + f.getFileName() + " in " + run.root()
                    + "; is it a run folder made by paris reproduce or paris submit?");
        }
        RunConfig c = Json.read(f, RunConfig.class);
        return new RecordedDevice(c.device() == null ? ComputeDevice.DEFAULT : c.device(),
                c.precision() == null ? "fp32" : c.precision());
    }

    /**
     * The device and sampling precision run.json records.
     *
     * @param device    {@code cpu} or {@code gpu:N} ({@link ComputeDevice#parse})
     * @param precision {@code fp32} or {@code fp16} ({@link org.parisjava.run.Precision#parse})
     */
    public record RecordedDevice(String device, String precision) {
    }

    /** The stage log of a run (empty when no stage has finished yet). */
    public static List<StageRecord> readStages(RunLayout run) {
        Path f = run.root().resolve(STAGES_FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        return List.of(Json.read(f, StageRecord[].class));
    }

    /**
     * Adds one stage's record to reproduce.json, for a stage run on its own ({@link Reproduction#runStage},
     * the jobs of a batch scheduler): under an operating-system lock on {@code reproduce.json.lock}, since
     * jobs of one run end at the same time. A skipped stage keeps the record of the run that did it; with
     * {@code add}, the seconds are added to the stage's earlier ones (the experts of a job array, each
     * trained by its own job, counted together as {@code paris reproduce} counts them).
     */
    static void recordStage(RunLayout run, String stage, boolean skipped, double seconds, boolean add) {
        recordStage(run, stage, skipped, seconds, add, null);
    }

    /**
     * As {@link #recordStage(RunLayout, String, boolean, double, boolean)} for a stage trained in the pool of
     * processes of stage {@code beside} ({@link StageRecord#beside()}), or on its own when it is null.
     */
    public static void recordStage(RunLayout run, String stage, boolean skipped, double seconds, boolean add,
                                   String beside) {
        Path lockFile = run.root().resolve(STAGES_FILE + ".lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock ignored = ch.lock()) {
            List<StageRecord> log = new java.util.ArrayList<>(readStages(run));
            StageRecord old = log.stream().filter(r -> r.stage().equals(stage)).findFirst().orElse(null);
            if (skipped && old != null) {
                return;
            }
            double total = add && !skipped && old != null && !old.skipped() ? old.seconds() + seconds : seconds;
            log.removeIf(r -> r.stage().equals(stage));
            log.add(new StageRecord(stage, skipped, total, Instant.now().toString(), beside));
            writeStages(run, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record stage " + stage + " in " + run.root().resolve(STAGES_FILE), e);
        }
    }

    static void writeStages(RunLayout run, List<StageRecord> stages) {
        Json.write(run.root().resolve(STAGES_FILE), stages);
    }
}
