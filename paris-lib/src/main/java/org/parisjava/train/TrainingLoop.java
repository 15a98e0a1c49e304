package org.parisjava.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.parisjava.io.Json;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of the project. Experts and the monolith (flow matching), the router
 * (cross-entropy on the cluster id) and the evaluation classifier each supply a {@link LossStep};
 * everything else lives here once:
 *
 * <pre>
 *   resume      newest complete checkpoint of the output folder, refused if it is from another run
 *   for each update s:
 *     stop?     a {@link StopRequest} (preemption): checkpoint at s now, return "stopped early"
 *     batch     examples and every random draw from (seed, s) ({@link DataOrder})
 *     loss      the trainer's {@link LossStep}, inside a gradient collector; backward
 *     check     a NaN or infinite loss or gradient stops the run, naming the parameters
 *     update    global-norm clipping, AdamW at the warmup rate, EMA, zero the gradients
 *     log       loss.csv row, log line, progress event every logEvery updates
 *     save      atomic checkpoint (weights, EMA, optimizer) every checkpointEvery updates and at the end
 * </pre>
 *
 * <p>Because a step's draws depend only on (seed, step) and the optimizer and EMA state are saved
 * exactly, a resumed run ends bit-identical to an uninterrupted one on the same machine.
 *
 * <p>Usage: {@code new TrainingLoop(task, model, options).savingTo(dir, recorded).listener(l).run(n, step)}.
 * Without {@link #savingTo} the run stays in memory (no checkpoints, no loss.csv, and a stop request
 * only ends it early).
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** The checkpoints folder inside a trained model's folder. */
    public static final String CHECKPOINTS = "checkpoints";
    /** At most this many parameter names in a non-finite gradient message. */
    private static final int NAMES_SHOWN = 4;

    /**
     * What is trained.
     *
     * @param kind    recorded in checkpoint.json and checked on resume: "expert", "monolith", "router"...
     * @param block   an initialized block whose parameters require gradients
     * @param config  the block's config record: recorded in checkpoint.json and checked on resume
     * @param manager the manager holding the block's parameters; optimizer, EMA and per-step
     *                managers are sub-managers of it
     */
    public record Model(String kind, Block block, Object config, NDManager manager) {
        public Model {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(manager, "manager");
        }
    }

    private final String task;
    private final Model model;
    private final LoopOptions options;
    private Path outDir;
    private Object recordedOptions;
    private ProgressListener listener = ProgressListener.NONE;
    private StopRequest stop = StopRequest.NEVER;
    private Path configFile;
    private Object configValue;

    /**
     * @param task    names the run in log lines, progress events and errors, e.g. "expert cluster-03"
     * @param model   what to train
     * @param options steps, batch, optimizer, EMA, clipping, cadence, seed
     */
    public TrainingLoop(String task, Model model, LoopOptions options) {
        this.task = Objects.requireNonNull(task, "task");
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.recordedOptions = options;
    }

    /**
     * Trains into {@code dir} ({@code checkpoints/}, {@code loss.csv}), resuming from its newest
     * checkpoint; {@code recorded} (the trainer's own options record) goes into checkpoint.json.
     */
    public TrainingLoop savingTo(Path dir, Object recorded) {
        this.outDir = Objects.requireNonNull(dir, "dir");
        this.recordedOptions = Objects.requireNonNull(recorded, "recorded");
        return this;
    }

    public TrainingLoop listener(ProgressListener l) {
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    public TrainingLoop stopRequest(StopRequest s) {
        this.stop = Objects.requireNonNull(s, "stop request");
        return this;
    }

    /**
     * A JSON file (the trainer's train-config.json) written once the folder's checkpoint has been
     * accepted, so that a run refused as incompatible overwrites nothing of the run it met.
     */
    public TrainingLoop configFile(Path file, Object value) {
        this.configFile = Objects.requireNonNull(file, "config file");
        this.configValue = Objects.requireNonNull(value, "config value");
        return this;
    }

    /**
     * Initializes {@code block} for training: its initial weights are a function of the run's seed
     * alone (the engine's generator seeded from (seed, -1), before any step's draws), and every
     * parameter takes gradients.
     *
     * @param inputShapes the block's input shapes, batch 1
     */
    public static <B extends Block> B initialize(B block, NDManager manager, long seed, Shape... inputShapes) {
        Engine.getInstance().setRandomSeed(Long.hashCode(DataOrder.stepSeed(seed, -1)));
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        ParameterNames.of(block).values().forEach(p -> p.getArray().setRequiresGradient(true));
        return block;
    }

    /**
     * Runs the loop up to {@code options.steps()} updates, or until the stop request asks.
     *
     * @param examples size of the data {@link LossStep.Batch#indices()} index into
     * @param lossStep the trainer's loss
     * @throws NonFiniteLossException on a NaN or infinite loss, gradient or weight; the last good
     *                                checkpoint is left as it was
     * @throws IllegalArgumentException if the folder's checkpoint is from a different run
     */
    public TrainResult run(int examples, LossStep lossStep) {
        Map<String, Parameter> params = ParameterNames.of(model.block());
        try (AdamW opt = new AdamW(params, AdamW.Options.defaults(options.weightDecay()), model.manager());
             Ema ema = new Ema(params, options.emaDecay(), model.manager())) {
            return new Run(params, opt, ema, examples).train(lossStep);
        }
    }

    /** The state of one invocation: what the positional parameters of three copied loops used to carry. */
    private final class Run {
        private final Map<String, Parameter> params;
        private final AdamW opt;
        private final Ema ema;
        private final DataOrder order;
        private final LearningRate schedule;
        private final Path checkpoints;
        private long start;
        /** CPU and wall seconds of the steps before {@link #start} (from the checkpoint resumed), and this stretch's clocks. */
        private double cpuBefore;
        private boolean computeUnknown;
        private double wallBefore;
        private double cpuAtStart;
        private long wallAtStart;
        private Path lastCheckpoint;
        private long lastCheckpointStep = -1;
        private double lastLoss = Double.NaN;
        private double lossSum;
        private double windowLoss;
        private int windowSteps;
        private long windowStart;
        private double firstWindowMean = Double.NaN;
        private double lastWindowMean = Double.NaN;

        Run(Map<String, Parameter> params, AdamW opt, Ema ema, int examples) {
            this.params = params;
            this.opt = opt;
            this.ema = ema;
            this.order = new DataOrder(options.seed(), examples, options.batch());
            this.schedule = new LearningRate(options.learningRate(), options.warmupSteps());
            this.checkpoints = outDir == null ? null : outDir.resolve(CHECKPOINTS);
        }

        TrainResult train(LossStep lossStep) {
            resume();
            if (configFile != null) { // only once the run is accepted
                Json.write(configFile, configValue);
            }
            long runStart = System.nanoTime();
            windowStart = runStart;
            wallAtStart = runStart;
            cpuAtStart = ProcessCpu.seconds();
            // a run that saves checkpoints also stops cleanly on SIGUSR1 (Slurm's warning before a time
            // limit) and SIGTERM (preemption): checkpoint now, exit for a requeue to resume
            try (LossLog log = outDir == null ? null : LossLog.open(outDir, start);
                 PreemptionSignal signal = outDir == null ? null : PreemptionSignal.install()) {
                for (long step = start; step < options.steps(); step++) {
                    if (stop.shouldStop(step)) {
                        return stopAt(step, log, runStart);
                    }
                    if (signal != null && signal.requested()) {
                        TrainResult stopped = stopAt(step, log, runStart);
                        throw new TrainingStoppedException(task, step, options.steps(), stopped.checkpoint(),
                                signal.reason());
                    }
                    double lr = schedule.at(step); // linear warmup, then constant
                    double loss = update(step, lr, lossStep);
                    long done = step + 1;
                    lossSum += loss;
                    lastLoss = loss;
                    windowLoss += loss;
                    windowSteps++;
                    if (done % options.logEvery() == 0 || done == options.steps()) {
                        logWindow(done, lr, log);
                    }
                    if (done % options.checkpointEvery() == 0 || done == options.steps()) {
                        checkpoint(done);
                    }
                }
            }
            return result(options.steps(), runStart, false);
        }

        /** One update; everything it allocates lives in a per-step manager. Returns the loss. */
        private double update(long step, double lr, LossStep lossStep) {
            long stepSeed = DataOrder.stepSeed(options.seed(), step);
            int[] indices = order.batch(step);
            try (NDManager s = model.manager().newSubManager()) {
                // the engine's generator draws the noise; seeding it per step makes it a function of (seed, step)
                Engine.getInstance().setRandomSeed(Long.hashCode(stepSeed));
                NDArray l;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    l = lossStep.loss(new LossStep.Batch(step, indices, new Random(stepSeed), s)); // ()
                    gc.backward(l);
                }
                // loss and gradient norm reach the host together: one synchronization per step
                double[] lossAndNorm = GradientClipping.lossAndClip(params.values(), options.gradClip(), l);
                double loss = lossAndNorm[0];
                double norm = lossAndNorm[1];
                if (!Double.isFinite(loss)) {
                    Gradients.zero(params.values());
                    throw new NonFiniteLossException(task, step + 1, loss, lastGood());
                }
                if (!Double.isFinite(norm)) {
                    String where = nonFiniteGradients(params);
                    Gradients.zero(params.values());
                    throw new NonFiniteLossException(task + " (gradient norm " + norm + " in " + where + ")",
                            step + 1, loss, lastGood());
                }
                opt.step(lr);
                ema.update();
                Gradients.zero(params.values());
                return loss;
            }
        }

        /** Restores the newest checkpoint of the folder, if any, after checking it belongs to this run. */
        private void resume() {
            Optional<Checkpoint> found = checkpoints == null ? Optional.empty() : Checkpoint.latest(checkpoints);
            if (found.isEmpty()) {
                return;
            }
            Checkpoint c = found.get();
            checkCompatible(c);
            c.restore(model.block(), ema, opt, model.manager());
            start = c.info().step();
            // a checkpoint from before the record: the earlier steps' cost is unknown, and so stays the total (0)
            computeUnknown = c.info().step() > 0 && c.info().cpuSeconds() == 0;
            cpuBefore = c.info().cpuSeconds();
            wallBefore = c.info().wallSeconds();
            lastCheckpoint = c.dir();
            lastCheckpointStep = start;
            LOG.info("{}: resuming from {} (step {})", task, c.dir(), start);
        }

        private void checkCompatible(Checkpoint c) {
            CheckpointInfo i = c.info();
            Object config = model.config();
            Object theirs = i.configClass() == null || !i.configClass().equals(config.getClass().getName()) ? null
                    : i.config(config.getClass());
            if (!i.kind().equals(model.kind()) || !config.equals(theirs) || i.seed() != options.seed()) {
                throw new IllegalArgumentException("Checkpoint " + c.dir() + " is from a different run (kind "
                        + i.kind() + ", model " + (theirs != null ? theirs : i.configClass() + " " + i.config())
                        + ", seed " + i.seed() + "); this run is " + model.kind() + ", " + config + ", seed "
                        + options.seed() + ". Use a fresh output folder or the same settings.");
            }
        }

        private void logWindow(long done, double lr, LossLog log) {
            long now = System.nanoTime();
            double imagesPerSecond = windowSteps * (double) options.batch() / ((now - windowStart) / 1e9);
            double mean = windowLoss / windowSteps;
            if (Double.isNaN(firstWindowMean)) {
                firstWindowMean = mean;
            }
            lastWindowMean = mean;
            if (log != null) {
                log.row(done, mean, lr, imagesPerSecond);
            }
            LOG.info("{} step {}/{} loss {} lr {} {} img/s", task, done, options.steps(),
                    String.format("%.4f", mean), String.format("%.2e", lr), String.format("%.1f", imagesPerSecond));
            listener.onProgress(new ProgressEvent(task, done, options.steps(),
                    Map.of("loss", mean, "lr", lr, "images_per_s", imagesPerSecond)));
            windowLoss = 0;
            windowSteps = 0;
            windowStart = now;
        }

        /** Writes checkpoint {@code done} atomically, after checking that no weight became NaN or infinite. */
        private void checkpoint(long done) {
            if (checkpoints == null) {
                return;
            }
            requireFiniteWeights(done);
            CheckpointInfo info = new CheckpointInfo(model.kind(), model.config().getClass().getName(),
                    Json.gson().toJsonTree(model.config()), Json.gson().toJsonTree(recordedOptions), done,
                    options.seed(), DataOrder.DESCRIPTION, ema.updates(), lastLoss, lossSum / (done - start),
                    Instant.now().toString(), Map.of())
                    .withCompute(computeUnknown ? 0 : cpuBefore + Math.max(0, ProcessCpu.seconds() - cpuAtStart),
                            computeUnknown ? 0 : wallBefore + (System.nanoTime() - wallAtStart) / 1e9);
            lastCheckpoint = Checkpoint.save(checkpoints, info, model.block(), ema, opt).dir();
            lastCheckpointStep = done;
            LOG.info("{}: checkpoint {}", task, lastCheckpoint);
        }

        /** A stop request before update {@code step}: log what is pending, checkpoint at {@code step}, return. */
        private TrainResult stopAt(long step, LossLog log, long runStart) {
            if (windowSteps > 0) {
                logWindow(step, schedule.at(step - 1), log);
            }
            if (step > lastCheckpointStep && step > start) {
                checkpoint(step);
            }
            LOG.info("{}: stopped on request at step {}/{}; {}", task, step, options.steps(),
                    lastCheckpoint == null ? "nothing to save yet" : "rerun to resume from " + lastCheckpoint);
            return result(step, runStart, true);
        }

        private TrainResult result(long reached, long runStart, boolean stopped) {
            double seconds = (System.nanoTime() - runStart) / 1e9;
            double overall = reached <= start ? 0 : (reached - start) * (double) options.batch() / seconds;
            return new TrainResult(outDir, lastCheckpoint, start, reached, firstWindowMean, lastWindowMean, overall,
                    stopped);
        }

        private String lastGood() {
            return lastCheckpoint == null ? null : lastCheckpoint.toString();
        }

        private void requireFiniteWeights(long step) {
            for (var e : params.entrySet()) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray w = e.getValue().getArray();
                    if (w.isInfinite().logicalOr(w.isNaN()).any().getBoolean()) {
                        throw new NonFiniteLossException(task + " (weights " + e.getKey() + " became non-finite)",
                                step, lastLoss, lastGood());
                    }
                }
            }
        }
    }

    /** The names of the parameters whose gradient holds a NaN or an infinity (the first few). */
    static String nonFiniteGradients(Map<String, Parameter> params) {
        List<String> bad = new ArrayList<>();
        for (var e : params.entrySet()) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = e.getValue().getArray().getGradient();
                if (g.isInfinite().logicalOr(g.isNaN()).any().getBoolean()) {
                    bad.add(e.getKey());
                }
            }
        }
        return bad.isEmpty() ? "no single parameter" : bad.size() <= NAMES_SHOWN ? String.join(", ", bad)
                : String.join(", ", bad.subList(0, NAMES_SHOWN)) + " and " + (bad.size() - NAMES_SHOWN) + " more";
    }
}
