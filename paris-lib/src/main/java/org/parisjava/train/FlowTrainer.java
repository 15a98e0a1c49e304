package org.parisjava.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.parisjava.data.ImageSpec;
import org.parisjava.flow.CaptionDropout;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.flow.TimestepSampler;
import org.parisjava.io.Json;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;
import org.parisjava.text.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow-matching training loop shared by {@link ExpertTrainer} and {@link MonolithTrainer}:
 * x_t = (1 - t) x0 + t eps, the DiT predicts v = eps - x0, loss = mean (v_pred - v)^2
 * (DESIGN.md section 3), AdamW with warmup, global-norm clipping, EMA, atomic checkpoints.
 *
 * <p>Every random draw of step s comes from (seed, s) ({@link DataOrder}), and the optimizer and
 * EMA state are checkpointed exactly, so a resumed run ends bit-identical to an uninterrupted one
 * on the same machine at the same PyTorch thread count (tested in one JVM and across processes).
 * Another intra-op thread count adds in another order and gives other bits (smoke and demo
 * presets, 1 against 2 threads: bench/same-seed.sh); a busy machine does not.
 */
public final class FlowTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(FlowTrainer.class);
    public static final String CHECKPOINTS = "checkpoints";
    public static final String CONFIG = "train-config.json";

    private FlowTrainer() {
    }

    /** The recorded configuration of a run, written next to its outputs. */
    public record RunConfig(String kind, String data, int images, DiTConfig model, String textEncoder,
                            TrainOptions options, String dataOrder) {
    }

    /** The model config for a data set: the preset adapted to its image size and channels. */
    public static DiTConfig modelConfig(String preset, ImageSpec spec) {
        if (spec.height() != spec.width()) {
            throw new IllegalArgumentException("DiT needs square images, got " + spec);
        }
        return DiTConfig.of(preset).withImage(spec.height(), spec.channels());
    }

    /** The shared frozen text encoder every expert of a config uses. */
    public static TextEncoder textEncoder(DiTConfig config) {
        return new HashedTokenEncoder(config.textDim(), config.textTokens());
    }

    /** Builds and initializes a DiT with parameters that take gradients; the seed fixes the initial weights. */
    public static DiT newModel(DiTConfig config, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed(Long.hashCode(DataOrder.stepSeed(seed, -1)));
        DiT model = DiT.create(config);
        model.initialize(manager, DataType.FLOAT32, model.inputShapes(1));
        ParameterNames.of(model).values().forEach(p -> p.getArray().setRequiresGradient(true));
        return model;
    }

    /**
     * Trains on {@code data} into {@code outDir} (checkpoints/, loss.csv, train-config.json),
     * resuming from the newest complete checkpoint there.
     */
    public static TrainResult train(String kind, TrainingSet data, TrainOptions o, Path outDir,
                                    ProgressListener listener) {
        DiTConfig config = modelConfig(o.modelPreset(), data.spec());
        Path ckDir = outDir.resolve(CHECKPOINTS);
        try (NDManager root = NDManager.newBaseManager();
             TextEncoder encoder = textEncoder(config)) {
            DiT model = newModel(config, root, o.seed());
            Map<String, Parameter> params = ParameterNames.of(model);
            try (AdamW opt = new AdamW(params, AdamW.Options.defaults(o.weightDecay()), root);
                 Ema ema = new Ema(params, o.emaDecay(), root)) {
                long start = 0;
                String lastGood = null;
                Optional<Checkpoint> resume = Checkpoint.latest(ckDir);
                if (resume.isPresent()) {
                    Checkpoint c = resume.get();
                    checkCompatible(c, kind, config, o);
                    c.restore(model, ema, opt, root);
                    start = c.info().step();
                    lastGood = c.dir().toString();
                    LOG.info("{} {}: resuming from {} (step {})", kind, data.name(), c.dir(), start);
                }
                // only once the run is accepted (a refused run must not overwrite the running one's config)
                Json.write(outDir.resolve(CONFIG), new RunConfig(kind, data.name(), data.count(), config,
                        encoder.describe(), o, DataOrder.DESCRIPTION));
                return loop(kind, data, o, config, outDir, model, params, opt, ema, encoder, root, start, lastGood,
                        listener);
            }
        }
    }

    private static TrainResult loop(String kind, TrainingSet data, TrainOptions o, DiTConfig config, Path outDir,
                                    DiT model, Map<String, Parameter> params, AdamW opt, Ema ema,
                                    TextEncoder encoder, NDManager root, long start, String lastGood,
                                    ProgressListener listener) {
        Path ckDir = outDir.resolve(CHECKPOINTS);
        String task = kind + " " + data.name();
        DataOrder order = new DataOrder(o.seed(), data.count(), o.batch());
        LearningRate schedule = new LearningRate(o.learningRate(), o.warmupSteps());
        ImageSpec spec = data.spec();
        int per = spec.channels() * spec.height() * spec.width();
        float[] pixels = new float[o.batch() * per];
        double windowLoss = 0;
        int windowSteps = 0;
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        double lossSum = 0;
        long windowStart = System.nanoTime();
        long runStart = windowStart;
        double imagesPerSecond = 0;
        Path lastCheckpoint = lastGood == null ? null : Path.of(lastGood);
        try (LossLog log = LossLog.open(outDir, start)) {
            for (long step = start; step < o.steps(); step++) {
                double lr = schedule.at(step);
                double loss = step(model, params, opt, ema, encoder, data, order, o, config, root, pixels, per,
                        step, lr, lastGood);
                lossSum += loss;
                windowLoss += loss;
                windowSteps++;
                long done = step + 1;
                if (done % o.logEvery() == 0 || done == o.steps()) {
                    long now = System.nanoTime();
                    imagesPerSecond = windowSteps * (double) o.batch() / ((now - windowStart) / 1e9);
                    double mean = windowLoss / windowSteps;
                    if (Double.isNaN(firstLoss)) {
                        firstLoss = mean;
                    }
                    lastLoss = mean;
                    log.row(done, mean, lr, imagesPerSecond);
                    LOG.info("{} step {}/{} loss {} lr {} {} img/s", task, done, o.steps(),
                            String.format("%.4f", mean), String.format("%.2e", lr), String.format("%.1f", imagesPerSecond));
                    listener.onProgress(new ProgressEvent(task, done, o.steps(),
                            Map.of("loss", mean, "lr", lr, "images_per_s", imagesPerSecond)));
                    windowLoss = 0;
                    windowSteps = 0;
                    windowStart = now;
                }
                if (done % o.checkpointEvery() == 0 || done == o.steps()) {
                    requireFiniteWeights(task, params, done, loss, lastGood);
                    CheckpointInfo info = new CheckpointInfo(kind, DiTConfig.class.getName(),
                            Json.gson().toJsonTree(config), Json.gson().toJsonTree(o), done, o.seed(),
                            DataOrder.DESCRIPTION, ema.updates(), loss, lossSum / (done - start),
                            Instant.now().toString(), Map.of());
                    lastCheckpoint = Checkpoint.save(ckDir, info, model, ema, opt).dir();
                    lastGood = lastCheckpoint.toString();
                    LOG.info("{}: checkpoint {}", task, lastCheckpoint);
                }
            }
        }
        double total = (System.nanoTime() - runStart) / 1e9;
        double overall = start >= o.steps() ? 0 : (o.steps() - start) * (double) o.batch() / total;
        return new TrainResult(outDir, lastCheckpoint, start, o.steps(), firstLoss, lastLoss, overall);
    }

    /** One update; returns the loss. Everything it allocates lives in a per-step manager. */
    private static double step(DiT model, Map<String, Parameter> params, AdamW opt, Ema ema, TextEncoder encoder,
                               TrainingSet data, DataOrder order, TrainOptions o, DiTConfig config, NDManager root,
                               float[] pixels, int per, long step, double lr, String lastGood) {
        long stepSeed = DataOrder.stepSeed(o.seed(), step);
        Random rng = new Random(stepSeed);
        int[] idx = order.batch(step);
        List<String> captions = new ArrayList<>(idx.length);
        for (int j = 0; j < idx.length; j++) {
            data.imageToFloat(idx[j], pixels, j * per);
            captions.add(data.caption(idx[j]));
        }
        captions = new CaptionDropout(o.captionDropout()).apply(captions, rng);
        float[] times = TimestepSampler.parse(o.timesteps()).sample(idx.length, rng);
        try (NDManager s = root.newSubManager()) {
            // torch's generator draws eps; seeding it per step makes the noise a function of (seed, step)
            Engine.getInstance().setRandomSeed(Long.hashCode(stepSeed));
            NDArray x0 = s.create(FloatBuffer.wrap(pixels), new Shape(idx.length, config.inChannels(),
                    config.imageSize(), config.imageSize())); // (B, C, H, W)
            TextBatch text = encoder.encode(captions, s);
            NDArray t = s.create(times); // (B)
            NDArray eps = s.randomNormal(x0.getShape()); // (B, C, H, W)
            NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t); // (B, C, H, W)
            NDArray target = RectifiedFlowPath.velocity(x0, eps); // (B, C, H, W)
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = model.forward(new ParameterStore(s, false),
                        new NDList(xt, t, text.tokens(), text.mask()), true).singletonOrThrow(); // (B, C, H, W)
                NDArray l = RectifiedFlowPath.loss(v, target); // ()
                gc.backward(l);
                loss = l.getFloat();
            }
            if (!Double.isFinite(loss)) {
                Gradients.zero(params.values());
                throw new NonFiniteLossException(config.name() + " on " + data.name(), step + 1, loss, lastGood);
            }
            double norm = GradientClipping.clipGlobalNorm(params.values(), o.gradClip());
            if (!Double.isFinite(norm)) {
                String where = nonFiniteGradients(params);
                Gradients.zero(params.values());
                throw new NonFiniteLossException(config.name() + " on " + data.name() + " (gradient norm " + norm
                        + " in " + where + ")", step + 1, loss, lastGood);
            }
            opt.step(lr);
            ema.update();
            Gradients.zero(params.values());
            return loss;
        }
    }

    /** The names of the parameters whose gradient has a NaN or an infinity (the first few). */
    static String nonFiniteGradients(Map<String, Parameter> params) {
        List<String> bad = new ArrayList<>();
        for (var e : params.entrySet()) {
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = e.getValue().getArray().getGradient();
                if (g.isInfinite().logicalOr(g.isNaN()).any().getBoolean()) {
                    bad.add(e.getKey());
                }
            }
        }
        return bad.isEmpty() ? "no single parameter" : bad.size() <= 4 ? String.join(", ", bad)
                : String.join(", ", bad.subList(0, 4)) + " and " + (bad.size() - 4) + " more";
    }

    private static void requireFiniteWeights(String task, Map<String, Parameter> params, long step, double loss,
                                             String lastGood) {
        for (var e : params.entrySet()) {
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray w = e.getValue().getArray();
                NDArray bad = w.isInfinite().logicalOr(w.isNaN()).any();
                if (bad.getBoolean()) {
                    throw new NonFiniteLossException(task + " (weights " + e.getKey() + " became non-finite)", step,
                            loss, lastGood);
                }
            }
        }
    }

    private static void checkCompatible(Checkpoint c, String kind, DiTConfig config, TrainOptions o) {
        CheckpointInfo i = c.info();
        if (!i.kind().equals(kind) || !config.equals(i.config(DiTConfig.class)) || i.seed() != o.seed()) {
            throw new IllegalArgumentException("Checkpoint " + c.dir() + " is from a different run (kind " + i.kind()
                    + ", model " + i.config(DiTConfig.class) + ", seed " + i.seed() + "); this run is " + kind + ", "
                    + config + ", seed " + o.seed() + ". Use a fresh output folder or the same settings.");
        }
    }
}
