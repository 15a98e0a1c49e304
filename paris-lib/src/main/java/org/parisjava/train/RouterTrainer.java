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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.parisjava.data.ImageSpec;
import org.parisjava.eval.RouterAccuracy;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.io.Json;
import org.parisjava.io.WriterLock;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the router after the experts, on ALL shards, to predict the cluster an image came from
 * given x_t = (1 - t) x0 + t eps at a uniformly random t (DESIGN.md section 3), with cross-entropy.
 * Shares AdamW, EMA, warmup, clipping, checkpoints and loss.csv with the experts' trainer, so it
 * resumes the same way. At the end it measures the EMA router's accuracy per timestep bin on
 * held-out images and writes {@code accuracy.json}.
 */
public final class RouterTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RouterTrainer.class);
    public static final String KIND = "router";
    public static final String ACCURACY = "accuracy.json";
    public static final String CONFIG = "train-config.json";

    private RouterTrainer() {
    }

    /** The recorded configuration of a router run. */
    public record RunConfig(String kind, String data, int images, int heldOut, RouterConfig model,
                            RouterOptions options, String dataOrder) {
    }

    /** What the router run ended with; {@code accuracy} is measured on held-out images with the EMA weights. */
    public record Result(Path outputDir, Path checkpoint, long startStep, long steps, double firstLoss,
                         double lastLoss, RouterAccuracy.Result accuracy) {
    }

    /** Trains on shards 0..K-1 of the run into {@code router/}. */
    public static Result train(RunLayout run, int clusters, RouterOptions o, ProgressListener listener) {
        List<Path> dirs = new ArrayList<>();
        for (int k = 0; k < clusters; k++) {
            dirs.add(run.shardDir(k));
        }
        return train(ClusteredImages.open(dirs), run.routerDir(), o, listener);
    }

    /** The router config for a data set and K: the preset adapted to the image size and channels. */
    public static RouterConfig modelConfig(String preset, ImageSpec spec, int clusters) {
        if (spec.height() != spec.width()) {
            throw new IllegalArgumentException("The router needs square images, got " + spec);
        }
        return RouterConfig.of(preset).adaptedTo(spec.height(), spec.channels(), clusters);
    }

    /** A new router with trainable parameters; the seed fixes the initial weights. */
    public static Router newRouter(RouterConfig config, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed(Long.hashCode(DataOrder.stepSeed(seed, -1)));
        Router r = Router.create(config);
        r.initialize(manager, DataType.FLOAT32, r.inputShapes(1));
        ParameterNames.of(r).values().forEach(p -> p.getArray().setRequiresGradient(true));
        return r;
    }

    /** The router of {@code routerDir}'s newest checkpoint, with its EMA weights (the ones to sample with). */
    public static Router load(Path routerDir, NDManager manager) {
        Checkpoint c = Checkpoint.latest(routerDir.resolve(FlowTrainer.CHECKPOINTS)).orElseThrow(() ->
                new IllegalArgumentException("No router checkpoint under " + routerDir.resolve(FlowTrainer.CHECKPOINTS)));
        RouterConfig config = c.info().config(RouterConfig.class);
        Router r = Router.create(config);
        r.initialize(manager, DataType.FLOAT32, r.inputShapes(1));
        c.loadWeights(r, true);
        return r;
    }

    public static Result train(ClusteredImages data, Path outDir, RouterOptions o, ProgressListener listener) {
        try (WriterLock lock = WriterLock.acquire(outDir, "router training")) {
            return trainLocked(data, outDir, o, listener);
        }
    }

    private static Result trainLocked(ClusteredImages data, Path outDir, RouterOptions o, ProgressListener listener) {
        RouterConfig config = modelConfig(o.modelPreset(), data.spec(), data.clusters());
        if (o.heldOut() >= data.count()) {
            throw new IllegalArgumentException("Held-out count " + o.heldOut() + " leaves nothing to train on ("
                    + data.count() + " images)");
        }
        int[][] split = split(data.count(), o.heldOut(), o.seed());
        Path ckDir = outDir.resolve(FlowTrainer.CHECKPOINTS);
        long start = 0;
        Path last = null;
        double[] losses = {Double.NaN, Double.NaN};
        try (NDManager root = NDManager.newBaseManager()) {
            Router model = newRouter(config, root, o.seed());
            Map<String, Parameter> params = ParameterNames.of(model);
            try (AdamW opt = new AdamW(params, AdamW.Options.defaults(o.weightDecay()), root);
                 Ema ema = new Ema(params, o.emaDecay(), root)) {
                Optional<Checkpoint> resume = Checkpoint.latest(ckDir);
                if (resume.isPresent()) {
                    Checkpoint c = resume.get();
                    CheckpointInfo i = c.info();
                    if (!i.kind().equals(KIND) || !config.equals(i.config(RouterConfig.class)) || i.seed() != o.seed()) {
                        throw new IllegalArgumentException("Checkpoint " + c.dir() + " is from a different run (kind "
                                + i.kind() + ", seed " + i.seed() + "); this run is a router " + config + ", seed "
                                + o.seed() + ". Use a fresh output folder or the same settings.");
                    }
                    c.restore(model, ema, opt, root);
                    start = i.step();
                    last = c.dir();
                    LOG.info("router: resuming from {} (step {})", c.dir(), start);
                }
                Json.write(outDir.resolve(CONFIG), new RunConfig(KIND, data.describe(), data.count(), o.heldOut(), config,
                        o, DataOrder.DESCRIPTION)); // only once the run is accepted
                last = loop(data, split[1], o, config, outDir, model, params, opt, ema, root, start, last, losses,
                        listener);
            }
        }
        RouterAccuracy.Result acc;
        try (NDManager m = NDManager.newBaseManager()) {
            Router ema = load(outDir, m);
            acc = evaluate(ema, data, split[0], o.evalBins(), o.seed(), Math.max(1, o.batch()), m);
        }
        Json.write(outDir.resolve(ACCURACY), acc);
        LOG.info("router: held-out accuracy {} overall, {} at t < {}, {} at t >= {}", acc.accuracy(),
                acc.bins().get(0).accuracy(), acc.bins().get(0).tHigh(),
                acc.bins().get(acc.bins().size() - 1).accuracy(), acc.bins().get(acc.bins().size() - 1).tLow());
        return new Result(outDir, last, start, o.steps(), losses[0], losses[1], acc);
    }

    /** [held-out indices, training indices], a seeded permutation of 0..count-1. */
    static int[][] split(int count, int heldOut, long seed) {
        int[] perm = new int[count];
        for (int i = 0; i < count; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(DataOrder.mix(seed, 0x5EEDL));
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[] held = java.util.Arrays.copyOfRange(perm, 0, heldOut);
        int[] train = java.util.Arrays.copyOfRange(perm, heldOut, count);
        java.util.Arrays.sort(held);
        java.util.Arrays.sort(train);
        return new int[][] {held, train};
    }

    private static Path loop(ClusteredImages data, int[] trainIdx, RouterOptions o, RouterConfig config, Path outDir,
                             Router model, Map<String, Parameter> params, AdamW opt, Ema ema, NDManager root,
                             long start, Path last, double[] losses, ProgressListener listener) {
        DataOrder order = new DataOrder(o.seed(), trainIdx.length, o.batch());
        LearningRate schedule = new LearningRate(o.learningRate(), o.warmupSteps());
        int per = data.spec().numel();
        float[] pixels = new float[o.batch() * per];
        double window = 0;
        int windowSteps = 0;
        double sum = 0;
        long t0 = System.nanoTime();
        try (LossLog log = LossLog.open(outDir, start)) {
            for (long step = start; step < o.steps(); step++) {
                double lr = schedule.at(step);
                double loss = step(model, params, opt, ema, data, trainIdx, order, o, config, root, pixels, per, step,
                        lr, last);
                sum += loss;
                window += loss;
                windowSteps++;
                long done = step + 1;
                if (done % o.logEvery() == 0 || done == o.steps()) {
                    double mean = window / windowSteps;
                    double ips = windowSteps * (double) o.batch() / ((System.nanoTime() - t0) / 1e9);
                    if (Double.isNaN(losses[0])) {
                        losses[0] = mean;
                    }
                    losses[1] = mean;
                    log.row(done, mean, lr, ips);
                    listener.onProgress(new ProgressEvent("router", done, o.steps(),
                            Map.of("loss", mean, "lr", lr, "images_per_s", ips)));
                    window = 0;
                    windowSteps = 0;
                    t0 = System.nanoTime();
                }
                if (done % o.checkpointEvery() == 0 || done == o.steps()) {
                    CheckpointInfo info = new CheckpointInfo(KIND, RouterConfig.class.getName(),
                            Json.gson().toJsonTree(config), Json.gson().toJsonTree(o), done, o.seed(),
                            DataOrder.DESCRIPTION, ema.updates(), loss, sum / (done - start),
                            Instant.now().toString(), Map.of());
                    last = Checkpoint.save(outDir.resolve(FlowTrainer.CHECKPOINTS), info, model, ema, opt).dir();
                }
            }
        }
        return last;
    }

    /** One cross-entropy update at uniformly random t; everything it allocates lives in a per-step manager. */
    private static double step(Router model, Map<String, Parameter> params, AdamW opt, Ema ema, ClusteredImages data,
                               int[] trainIdx, DataOrder order, RouterOptions o, RouterConfig config, NDManager root,
                               float[] pixels, int per, long step, double lr, Path last) {
        long stepSeed = DataOrder.stepSeed(o.seed(), step);
        int[] pos = order.batch(step);
        int b = pos.length;
        float[] onehot = new float[b * config.clusters()];
        for (int j = 0; j < b; j++) {
            int idx = trainIdx[pos[j]];
            data.imageToFloat(idx, pixels, j * per);
            onehot[j * config.clusters() + data.cluster(idx)] = 1f;
        }
        try (NDManager s = root.newSubManager()) {
            Engine.getInstance().setRandomSeed(Long.hashCode(stepSeed));
            ImageSpec spec = data.spec();
            NDArray x0 = s.create(java.nio.FloatBuffer.wrap(pixels, 0, b * per),
                    new Shape(b, spec.channels(), spec.height(), spec.width())); // (B, C, H, W)
            NDArray t = s.randomUniform(0f, 1f, new Shape(b)); // (B)
            NDArray eps = s.randomNormal(x0.getShape()); // (B, C, H, W)
            NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t); // (B, C, H, W)
            NDArray target = s.create(onehot, new Shape(b, config.clusters())); // (B, K)
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(s, false), new NDList(xt, t), true)
                        .singletonOrThrow(); // (B, K)
                NDArray l = logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            if (!Double.isFinite(loss)) {
                Gradients.zero(params.values());
                throw new NonFiniteLossException("router " + config.name(), step + 1, loss,
                        last == null ? null : last.toString());
            }
            GradientClipping.clipGlobalNorm(params.values(), o.gradClip());
            opt.step(lr);
            ema.update();
            Gradients.zero(params.values());
            return loss;
        }
    }

    /**
     * Accuracy of {@code router} per timestep bin on the given images: each image is noised once at
     * the centre of every bin, with noise fixed by (seed, image, bin).
     */
    public static RouterAccuracy.Result evaluate(Router router, ClusteredImages data, int[] indices, int bins,
                                                 long seed, int batch, NDManager manager) {
        RouterAccuracy acc = new RouterAccuracy(data.clusters(), bins);
        ImageSpec spec = data.spec();
        int per = spec.numel();
        for (int bin = 0; bin < bins; bin++) {
            float tc = (float) ((bin + 0.5) / bins);
            for (int from = 0; from < indices.length; from += batch) {
                int n = Math.min(batch, indices.length - from);
                float[] xt = new float[n * per];
                int[] truth = new int[n];
                for (int j = 0; j < n; j++) {
                    int idx = indices[from + j];
                    data.imageToFloat(idx, xt, j * per);
                    truth[j] = data.cluster(idx);
                    SplittableRandom rnd = new SplittableRandom(DataOrder.mix(DataOrder.mix(seed, idx), bin));
                    for (int q = 0; q < per; q++) {
                        xt[j * per + q] = (1 - tc) * xt[j * per + q] + tc * (float) rnd.nextGaussian();
                    }
                }
                try (NDManager s = manager.newSubManager()) {
                    NDArray x = s.create(xt, new Shape(n, spec.channels(), spec.height(), spec.width()));
                    NDArray logits = router.forward(new ParameterStore(s, false),
                            new NDList(x, s.full(new Shape(n), tc)), false).singletonOrThrow(); // (N, K)
                    long[] pred = logits.argMax(1).toLongArray();
                    for (int j = 0; j < n; j++) {
                        acc.add(tc, (int) pred[j], truth[j]);
                    }
                }
            }
        }
        return acc.result();
    }

    /** Whether {@code outDir} holds a router trained to {@code o.steps()} and its accuracy.json (a finished stage). */
    public static boolean isFinished(Path outDir, RouterOptions o) {
        return Files.isRegularFile(outDir.resolve(ACCURACY)) && Checkpoint.latest(outDir.resolve(FlowTrainer.CHECKPOINTS))
                .map(c -> c.info().step() >= o.steps()).orElse(false);
    }
}
