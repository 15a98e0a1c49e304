package org.parisjava.train;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.parisjava.data.ImageSpec;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.io.Json;
import org.parisjava.io.WriterLock;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextBatch;
import org.parisjava.text.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the router after the experts, on ALL shards, to predict the cluster an image came from
 * given x_t = (1 - t) x0 + t eps ({@link RectifiedFlowPath}) at a uniformly random t, with
 * cross-entropy (Paris arXiv 2510.03434; DDM arXiv 2501.05450). A {@link LossStep} of the
 * {@link TrainingLoop}, so it resumes, checks and checkpoints exactly as the experts do. At the end
 * it measures the EMA router's accuracy per timestep bin on held-out images and writes
 * {@code accuracy.json}.
 */
public final class RouterTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RouterTrainer.class);
    public static final String KIND = "router";
    public static final String ACCURACY = "accuracy.json";
    public static final String CONFIG = "train-config.json";
    /** Salt of the held-out split's permutation, so it differs from every epoch order of the same seed. */
    private static final long SPLIT_SALT = 0x5EEDL;

    private RouterTrainer() {
    }

    /** The recorded configuration of a router run. */
    public record RunConfig(String kind, String data, int images, int heldOut, RouterConfig model,
                            RouterOptions options, String dataOrder, String textEncoder) {
    }

    /**
     * What the router run ended with; {@code accuracy} is measured on held-out images with the EMA
     * weights once training is finished (null when a stop request ended it early).
     */
    public record Result(Path outputDir, Path checkpoint, long startStep, long steps, double firstLoss,
                         double lastLoss, RouterAccuracy.Result accuracy, boolean stoppedEarly) {
    }

    /** Trains on shards 0..K-1 of the run into {@code router/}. */
    public static Result train(RunLayout run, int clusters, RouterOptions o, ProgressListener listener) {
        return train(run, clusters, o, listener, StopRequest.NEVER);
    }

    /** As {@link #train(RunLayout, int, RouterOptions, ProgressListener)}; {@code stop} may end it early. */
    public static Result train(RunLayout run, int clusters, RouterOptions o, ProgressListener listener,
                               StopRequest stop) {
        return train(run, clusters, o, null, listener, stop);
    }

    /**
     * As {@link #train(RunLayout, int, RouterOptions, ProgressListener, StopRequest)}; with a text
     * encoder (not null) the router is text-aware: conditioned on each image's pooled caption
     * embedding as well ({@link Router}, beyond the paper). Null gives the paper's text-blind router.
     */
    public static Result train(RunLayout run, int clusters, RouterOptions o, TextEncoder text,
                               ProgressListener listener, StopRequest stop) {
        List<Path> dirs = new ArrayList<>();
        for (int k = 0; k < clusters; k++) {
            dirs.add(run.shardDir(k));
        }
        return train(ClusteredImages.open(dirs), run.routerDir(), o, text, listener, stop);
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
        Router r = Router.create(config);
        return TrainingLoop.initialize(r, manager, seed, r.inputShapes(1));
    }

    /** The router of {@code routerDir}'s newest checkpoint, with its EMA weights (the ones to sample with). */
    public static Router load(Path routerDir, NDManager manager) {
        Path dir = routerDir.resolve(TrainingLoop.CHECKPOINTS);
        Checkpoint c = Checkpoint.latest(dir).orElseThrow(() ->
                new IllegalArgumentException("No router checkpoint under " + dir));
        RouterConfig config = c.info().config(RouterConfig.class);
        Router r = Router.create(config);
        r.initialize(manager, DataType.FLOAT32, r.inputShapes(1));
        c.loadWeights(r, true);
        return r;
    }

    public static Result train(ClusteredImages data, Path outDir, RouterOptions o, ProgressListener listener) {
        return train(data, outDir, o, listener, StopRequest.NEVER);
    }

    /**
     * Trains on {@code data} into {@code outDir}, resuming from its newest checkpoint, then measures
     * held-out accuracy (unless {@code stop} ended the run early).
     */
    public static Result train(ClusteredImages data, Path outDir, RouterOptions o, ProgressListener listener,
                               StopRequest stop) {
        return train(data, outDir, o, null, listener, stop);
    }

    /**
     * Trains on {@code data} into {@code outDir}; with {@code text} not null the router is text-aware
     * (conditioned on the embedding of each image's caption by that encoder), otherwise text-blind as in
     * the paper.
     */
    public static Result train(ClusteredImages data, Path outDir, RouterOptions o, TextEncoder text,
                               ProgressListener listener, StopRequest stop) {
        // one writer per router folder, refused before anything is read or written
        try (WriterLock lock = WriterLock.acquire(outDir, "router training")) {
            return trainLocked(data, outDir, o, text, listener, stop);
        }
    }

    private static Result trainLocked(ClusteredImages data, Path outDir, RouterOptions o, TextEncoder text,
                                      ProgressListener listener, StopRequest stop) {
        RouterConfig config = modelConfig(o.modelPreset(), data.spec(), data.clusters());
        if (text != null) {
            config = config.withText(text.dim());
        }
        int heldOut = o.heldOut();
        if (heldOut > 0 && heldOut * 2L > data.count()) { // a tiny data set (paper-tiny's 24 images): keep 3/4 to train on
            heldOut = Math.max(1, data.count() / 4);
            LOG.warn("Held-out count {} is more than half of the {} images: holding out {} instead", o.heldOut(),
                    data.count(), heldOut);
        }
        if (heldOut >= data.count()) {
            throw new IllegalArgumentException("Held-out count " + heldOut + " leaves nothing to train on ("
                    + data.count() + " images)");
        }
        int[][] split = split(data.count(), heldOut, o.seed());
        TrainResult trained;
        try (NDManager root = ComputeDevice.newManager()) {
            Router model = newRouter(config, root, o.seed());
            trained = new TrainingLoop(KIND, new TrainingLoop.Model(KIND, model, config, root), o.loop())
                    .savingTo(outDir, o)
                    .configFile(outDir.resolve(CONFIG), new RunConfig(KIND, data.describe(), data.count(), heldOut,
                            config, o, DataOrder.DESCRIPTION, text == null ? null : text.describe()))
                    .listener(listener)
                    .stopRequest(stop)
                    .run(split[1].length, lossStep(model, data, split[1], config, text));
        }
        if (trained.stoppedEarly()) {
            return new Result(outDir, trained.checkpoint(), trained.startStep(), trained.steps(),
                    trained.firstLoss(), trained.lastLoss(), null, true);
        }
        RouterAccuracy.Result acc;
        try (NDManager m = ComputeDevice.newManager()) {
            Router ema = load(outDir, m);
            acc = evaluate(ema, data, split[0], o.evalBins(), o.seed(), Math.max(1, o.batch()), text, m);
        }
        Json.write(outDir.resolve(ACCURACY), acc);
        LOG.info("router: held-out accuracy {} overall, {} at t < {}, {} at t >= {}", acc.accuracy(),
                acc.bins().get(0).accuracy(), acc.bins().get(0).tHigh(),
                acc.bins().get(acc.bins().size() - 1).accuracy(), acc.bins().get(acc.bins().size() - 1).tLow());
        return new Result(outDir, trained.checkpoint(), trained.startStep(), trained.steps(), trained.firstLoss(),
                trained.lastLoss(), acc, false);
    }

    /**
     * Cross-entropy to the cluster id at a uniformly random t. The batch's indices are positions in
     * {@code trainIdx}, the images outside the held-out split.
     */
    static LossStep lossStep(Router model, ClusteredImages data, int[] trainIdx, RouterConfig config) {
        return lossStep(model, data, trainIdx, config, null);
    }

    static LossStep lossStep(Router model, ClusteredImages data, int[] trainIdx, RouterConfig config,
                             TextEncoder text) {
        requireEncoder(config, text);
        ImageSpec spec = data.spec();
        int per = spec.numel();
        return batch -> {
            int b = batch.size();
            float[] pixels = new float[b * per];
            int[] cluster = new int[b];
            for (int j = 0; j < b; j++) {
                int idx = trainIdx[batch.indices()[j]];
                data.imageToFloat(idx, pixels, j * per);
                cluster[j] = data.cluster(idx);
            }
            NDManager s = batch.manager();
            NDArray x0 = s.create(FloatBuffer.wrap(pixels),
                    new Shape(b, spec.channels(), spec.height(), spec.width())); // (B, C, H, W)
            NDArray t = s.randomUniform(0f, 1f, new Shape(b)); // (B)
            NDArray eps = s.randomNormal(x0.getShape()); // (B, C, H, W)
            NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t); // (B, C, H, W)
            NDList in = new NDList(xt, t);
            if (config.textAware()) {
                List<String> captions = new ArrayList<>(b);
                for (int j = 0; j < b; j++) {
                    captions.add(data.caption(trainIdx[batch.indices()[j]]));
                }
                TextBatch tb = text.encode(captions, s);
                in.add(tb.tokens()); // (B, L, Dt)
                in.add(tb.mask()); // (B, L)
            }
            NDArray logits = model.forward(new ParameterStore(s, false), in, true).singletonOrThrow(); // (B, K)
            return CrossEntropy.loss(logits, cluster, s); // ()
        };
    }

    /** [held-out indices, training indices], a seeded permutation of 0..count-1. */
    static int[][] split(int count, int heldOut, long seed) {
        int[] perm = new int[count];
        for (int i = 0; i < count; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(DataOrder.mix(seed, SPLIT_SALT));
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[] held = Arrays.copyOfRange(perm, 0, heldOut);
        int[] train = Arrays.copyOfRange(perm, heldOut, count);
        Arrays.sort(held);
        Arrays.sort(train);
        return new int[][] {held, train};
    }

    /**
     * Accuracy of {@code router} per timestep bin on the given images: each image is noised once at
     * the centre of every bin ({@link RectifiedFlowPath#interpolate}), with noise fixed by (seed,
     * image, bin).
     */
    public static RouterAccuracy.Result evaluate(Router router, ClusteredImages data, int[] indices, int bins,
                                                 long seed, int batch, NDManager manager) {
        return evaluate(router, data, indices, bins, seed, batch, null, manager);
    }

    /**
     * As {@link #evaluate(Router, ClusteredImages, int[], int, long, int, NDManager)}; a text-aware
     * router also reads each image's caption, encoded by {@code text} (the encoder it was trained with).
     */
    public static RouterAccuracy.Result evaluate(Router router, ClusteredImages data, int[] indices, int bins,
                                                 long seed, int batch, TextEncoder text, NDManager manager) {
        requireEncoder(router.config(), text);
        RouterAccuracy acc = new RouterAccuracy(data.clusters(), bins);
        ImageSpec spec = data.spec();
        int per = spec.numel();
        Shape shape = new Shape(-1, spec.channels(), spec.height(), spec.width());
        for (int bin = 0; bin < bins; bin++) {
            float tc = (float) ((bin + 0.5) / bins);
            for (int from = 0; from < indices.length; from += batch) {
                int n = Math.min(batch, indices.length - from);
                float[] x0 = new float[n * per];
                float[] eps = new float[n * per];
                int[] truth = new int[n];
                List<String> captions = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    int idx = indices[from + j];
                    captions.add(data.caption(idx));
                    data.imageToFloat(idx, x0, j * per);
                    truth[j] = data.cluster(idx);
                    SplittableRandom rnd = new SplittableRandom(DataOrder.mix(DataOrder.mix(seed, idx), bin));
                    for (int q = 0; q < per; q++) {
                        eps[j * per + q] = (float) rnd.nextGaussian();
                    }
                }
                try (NDManager s = manager.newSubManager()) {
                    Shape batchShape = new Shape(n, shape.get(1), shape.get(2), shape.get(3));
                    NDArray t = s.full(new Shape(n), tc); // (N)
                    NDArray xt = RectifiedFlowPath.interpolate(s.create(x0, batchShape), s.create(eps, batchShape),
                            t); // (N, C, H, W)
                    NDList in = new NDList(xt, t);
                    if (router.config().textAware()) {
                        TextBatch tb = text.encode(captions, s);
                        in.add(tb.tokens()); // (N, L, Dt)
                        in.add(tb.mask()); // (N, L)
                    }
                    NDArray logits = router.forward(new ParameterStore(s, false), in, false)
                            .singletonOrThrow(); // (N, K)
                    long[] pred = logits.argMax(1).toLongArray();
                    for (int j = 0; j < n; j++) {
                        acc.add(tc, (int) pred[j], truth[j]);
                    }
                }
            }
        }
        return acc.result();
    }

    private static void requireEncoder(RouterConfig config, TextEncoder text) {
        if (config.textAware() && text == null) {
            throw new IllegalArgumentException("Router '" + config.name() + "' is text-aware (caption width "
                    + config.textDim() + "): it needs the text encoder it was trained with");
        }
        if (config.textAware() && text.dim() != config.textDim()) {
            throw new IllegalArgumentException("Text-aware router reads captions of width " + config.textDim()
                    + ", the encoder " + text.describe() + " gives " + text.dim());
        }
    }

    /** Whether {@code outDir} holds a router trained to {@code o.steps()} and its accuracy.json (a finished stage). */
    public static boolean isFinished(Path outDir, RouterOptions o) {
        return Files.isRegularFile(outDir.resolve(ACCURACY)) && Checkpoint.latest(outDir.resolve(TrainingLoop.CHECKPOINTS))
                .map(c -> c.info().step() >= o.steps()).orElse(false);
    }
}
