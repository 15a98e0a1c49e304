package org.parisjava.infer;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parisjava.data.ImageSpec;
import org.parisjava.flow.InitialNoise;
import org.parisjava.flow.OdeSolver;
import org.parisjava.latent.LatentCodec;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.model.RouterConfig;
import org.parisjava.text.TextBatch;
import org.parisjava.text.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampling from t = 1 (noise) to t = 0 (data) with an ODE solver (Euler by default) through a routed
 * mixture of experts:
 *
 * <pre>
 *   v(x_t, t, c) = sum_k w_k(x_t, t) * [ v_k(x_t, t, empty) + s (v_k(x_t, t, c) - v_k(x_t, t, empty)) ]
 * </pre>
 *
 * where w = strategy(softmax(router(x_t, t))). Guidance is applied to each expert before mixing
 * ({@link GuidedVelocity}), with the conditional and unconditional rows in one batched forward. An
 * expert runs only on the rows that give it a nonzero weight: those rows are gathered, run, and
 * scattered back weighted. Missing experts are dropped by the strategy and logged once per sampler.
 *
 * <p>In a latent space (the SD-VAE's, as the paper), the trajectory runs on latents and each batch's
 * result is decoded to images by the run's codec, so a {@link SamplingResult} always holds images.
 *
 * <p>Letters: B images, Bk rows routed to expert k, C/H/W image, L text tokens, Dt text width, K experts.
 */
public final class EnsembleSampler {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleSampler.class);

    private final Ensemble ensemble;
    private final SamplerConfig config;
    private final LatentCodec codec;
    private final Set<Integer> warnedMissing = new HashSet<>();

    /** A sampler in pixel space: the models' outputs are the images. */
    public EnsembleSampler(Ensemble ensemble, SamplerConfig config) {
        this(ensemble, config, null);
    }

    /**
     * A sampler whose models diffuse in {@code codec}'s latent space ({@code config.spec()} is the latent
     * shape): each batch's final latents are decoded to images by the same codec the shards were
     * encoded with. A null codec is pixel space. The sampler does not own the codec.
     */
    public EnsembleSampler(Ensemble ensemble, SamplerConfig config, LatentCodec codec) {
        this.ensemble = ensemble;
        this.config = config;
        this.codec = codec;
    }

    public SamplerConfig config() {
        return config;
    }

    /** As {@link #sample(NDManager, TextBatch, TextBatch, RoutingStrategy, long[], int[], ProgressListener)} without progress. */
    public SamplingResult sample(NDManager manager, TextBatch cond, TextBatch empty, RoutingStrategy strategy,
                                 long[] sampleIds, int[] trueClusters) {
        return sample(manager, cond, empty, strategy, sampleIds, trueClusters, ProgressListener.NONE);
    }

    /**
     * Samples images for captions in batches of {@code batchSize}; image i gets id i, so its noise
     * and stochastic routing do not depend on the batching.
     *
     * @param trueClusters the cluster each caption came from, or null (the oracle needs it)
     */
    public SamplingResult sample(TextEncoder encoder, List<String> captions, int[] trueClusters,
                                 RoutingStrategy strategy, int batchSize, ProgressListener progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Invalid batch size: " + batchSize);
        }
        if (trueClusters != null && trueClusters.length != captions.size()) {
            throw new IllegalArgumentException(captions.size() + " captions but " + trueClusters.length
                    + " true clusters");
        }
        List<SamplingResult> parts = new ArrayList<>();
        try (NDManager m = ComputeDevice.newManager()) {
            for (int from = 0; from < captions.size(); from += batchSize) {
                int to = Math.min(captions.size(), from + batchSize);
                try (NDManager bm = m.newSubManager()) {
                    TextBatch cond = encoder.encode(captions.subList(from, to), bm);
                    TextBatch empty = encoder.encode(List.of(""), bm);
                    long[] ids = new long[to - from];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = from + i;
                    }
                    int[] truth = trueClusters == null ? null : Arrays.copyOfRange(trueClusters, from, to);
                    parts.add(sample(bm, cond, empty, strategy, ids, truth, ProgressListener.NONE));
                }
                progress.onProgress(ProgressEvent.of("sample " + strategy.name(), to, captions.size()));
            }
        }
        return SamplingResult.concat(parts);
    }

    /**
     * Samples one batch.
     *
     * @param cond         the captions: tokens (B, L, Dt) and mask (B, L)
     * @param empty        the empty caption (1, L, Dt) for guidance; may be null when guidance is off
     * @param sampleIds    a stable id per image (B): seeds its noise and stochastic routing
     * @param trueClusters the cluster each caption came from (B), or null; the oracle needs it
     */
    public SamplingResult sample(NDManager manager, TextBatch cond, TextBatch empty, RoutingStrategy strategy,
                                 long[] sampleIds, int[] trueClusters, ProgressListener progress) {
        return sample(manager, cond, empty, strategy, sampleIds, trueClusters, progress,
                noise(config.spec(), config.seed(), sampleIds));
    }

    /**
     * Samples one batch from a given initial noise x_1 instead of {@link #noise} (to compare with a
     * reference implementation that drew its own noise).
     *
     * @param initialNoise x_1 (B, C, H, W) flattened, B = sampleIds.length
     */
    public SamplingResult sample(NDManager manager, TextBatch cond, TextBatch empty, RoutingStrategy strategy,
                                 long[] sampleIds, int[] trueClusters, ProgressListener progress,
                                 float[] initialNoise) {
        int batch = sampleIds.length;
        if (initialNoise.length != (long) batch * config.spec().numel()) {
            throw new IllegalArgumentException("Initial noise holds " + initialNoise.length + " values, expected "
                    + batch + " images of " + config.spec());
        }
        if (cond.tokens().getShape().get(0) != batch) {
            throw new IllegalArgumentException("Captions have " + cond.tokens().getShape().get(0) + " rows, sampleIds "
                    + batch);
        }
        if (config.guided() && (empty == null || empty.tokens().getShape().get(0) != 1)) {
            throw new IllegalArgumentException("Guidance scale " + config.guidanceScale()
                    + " needs the empty caption as a (1, L, Dt) batch");
        }
        List<Block> models = models(strategy);
        boolean[] available = new boolean[models.size()];
        for (int k = 0; k < available.length; k++) {
            available[k] = models.get(k) != null;
        }
        warnMissing(available);
        if (strategy.needsRouter() && ensemble.router() == null) {
            throw new IllegalStateException("Strategy '" + strategy.name() + "' needs a router, the ensemble has none");
        }
        if (strategy.needsTrueCluster() && trueClusters == null) {
            throw new IllegalArgumentException("Strategy '" + strategy.name() + "' needs the true cluster of each image");
        }
        OdeSolver solver = OdeSolver.of(config.solver());
        int evaluations = config.evaluations();
        Trajectory run = new Trajectory(strategy, models, available, cond, empty, sampleIds, trueClusters,
                new ExpertUsage.Recorder(models.size(), evaluations), progress, evaluations);
        run.usage.addImages(batch);
        ImageSpec spec = config.spec();
        float[] pixels;
        ImageSpec imageSpec;
        try (NDManager bm = manager.newSubManager()) {
            NDArray noise = bm.create(initialNoise,
                    new Shape(batch, spec.channels(), spec.height(), spec.width())); // (B, C, H, W)
            NDArray x0 = solver.sample(run::velocity, noise, config.steps()); // (B, C, H, W): latents or pixels
            if (codec != null) {
                x0 = codec.decode(x0); // (B, C_img, H_img, W_img), roughly in [-1, 1]
            }
            Shape s = x0.getShape();
            imageSpec = new ImageSpec((int) s.get(1), (int) s.get(2), (int) s.get(3));
            pixels = x0.toFloatArray();
        }
        return new SamplingResult(strategy.name(), imageSpec, sampleIds.clone(), pixels, run.usage.build(), run.calls,
                run.rows, run.routerCalls);
    }

    /** The routed, guided velocity field of one batch, counting what it runs. */
    private final class Trajectory {
        final RoutingStrategy strategy;
        final List<Block> models;
        final boolean[] available;
        final TextBatch cond;
        final TextBatch empty;
        final long[] sampleIds;
        final int[] trueClusters;
        final ExpertUsage.Recorder usage;
        final ProgressListener progress;
        final int evaluations;
        final long[] calls;
        final long[] rows;
        long routerCalls;
        int evaluation;

        Trajectory(RoutingStrategy strategy, List<Block> models, boolean[] available, TextBatch cond, TextBatch empty,
                   long[] sampleIds, int[] trueClusters, ExpertUsage.Recorder usage, ProgressListener progress,
                   int evaluations) {
            this.strategy = strategy;
            this.models = models;
            this.available = available;
            this.cond = cond;
            this.empty = empty;
            this.sampleIds = sampleIds;
            this.trueClusters = trueClusters;
            this.usage = usage;
            this.progress = progress;
            this.evaluations = evaluations;
            this.calls = new long[models.size()];
            this.rows = new long[models.size()];
        }

        /** v(x, t) = sum_k w_k CFG(v_k); temporaries live on x's (per-step) manager. */
        NDArray velocity(NDArray x, float t) {
            NDManager sm = x.getManager();
            ParameterStore ps = new ParameterStore(sm, false);
            int batch = sampleIds.length;
            Shape imageShape = x.getShape();
            double[][] probs = null;
            if (strategy.needsRouter()) {
                NDList in = new NDList(x, sm.full(new Shape(batch), t));
                RouterConfig rc = ensemble.routerConfig();
                if (rc != null && rc.textAware()) {
                    // a text-aware router (beyond the paper) also reads the captions: tokens (B, L, Dt), mask (B, L)
                    in.add(cond.tokens());
                    in.add(cond.mask());
                }
                NDArray logits = ensemble.router().forward(ps, in, false).singletonOrThrow(); // (B, K)
                probs = toRows(logits.softmax(-1), batch);
                routerCalls++;
            }
            double[][] w = strategy.weights(probs, available,
                    new RoutingContext(evaluation, sampleIds, trueClusters)); // (B, K)
            usage.record(evaluation, t, w);
            NDArray v = sm.zeros(imageShape); // (B, C, H, W)
            for (int k = 0; k < models.size(); k++) {
                int[] picked = rowsOf(w, k);
                if (picked.length == 0) {
                    continue; // an expert no image needs is not run
                }
                NDArray select = selection(sm, picked, batch); // (Bk, B)
                NDArray vk = GuidedVelocity.of(models.get(k), ps, gather(select, x),
                        sm.full(new Shape(picked.length), t), gather(select, cond.tokens()),
                        gather(select, cond.mask()), empty, (float) config.guidanceScale()); // (Bk, C, H, W)
                calls[k]++;
                rows[k] += config.guided() ? 2L * picked.length : picked.length;
                float[] wk = new float[picked.length];
                for (int i = 0; i < picked.length; i++) {
                    wk[i] = (float) w[picked[i]][k];
                }
                NDArray spread = select.transpose().mul(sm.create(wk).reshape(1, picked.length)); // (B, Bk)
                v = v.add(spread.matMul(vk.reshape(picked.length, -1)).reshape(imageShape)); // (B, C, H, W)
            }
            evaluation++;
            progress.onProgress(new ProgressEvent("sample " + strategy.name(), evaluation, evaluations,
                    Map.of("t", (double) t)));
            return v;
        }
    }

    /** The initial noise x_1 of each image ({@link InitialNoise}): batching does not change an image. */
    public static float[] noise(ImageSpec spec, long seed, long[] sampleIds) {
        return InitialNoise.gaussian(seed, sampleIds, spec.numel());
    }

    private List<Block> models(RoutingStrategy strategy) {
        List<Block> models = new ArrayList<>();
        if (strategy.usesMonolith()) {
            if (ensemble.monolith() == null) {
                throw new IllegalStateException("Strategy 'monolith' needs a monolith model, the ensemble has none");
            }
            models.add(ensemble.monolith());
        } else {
            if (ensemble.clusters() == 0) {
                throw new IllegalStateException("Strategy '" + strategy.name() + "' needs experts, the ensemble has none");
            }
            for (int k = 0; k < ensemble.clusters(); k++) {
                models.add(ensemble.expert(k));
            }
        }
        return models;
    }

    private void warnMissing(boolean[] available) {
        for (int k = 0; k < available.length; k++) {
            if (!available[k] && warnedMissing.add(k)) {
                LOG.warn("Expert {} is missing: it is dropped and the other experts' weights are renormalized", k);
            }
        }
    }

    /** The rows of w (B, K) with a nonzero weight on expert k. */
    private static int[] rowsOf(double[][] w, int k) {
        int n = 0;
        for (double[] row : w) {
            n += row[k] != 0 ? 1 : 0;
        }
        int[] out = new int[n];
        int at = 0;
        for (int b = 0; b < w.length; b++) {
            if (w[b][k] != 0) {
                out[at++] = b;
            }
        }
        return out;
    }

    /** One-hot rows (Bk, B): a matrix product with it gathers rows exactly (products with 0 and 1 only). */
    private static NDArray selection(NDManager m, int[] picked, int batch) {
        float[] s = new float[picked.length * batch];
        for (int i = 0; i < picked.length; i++) {
            s[i * batch + picked[i]] = 1f;
        }
        return m.create(s, new Shape(picked.length, batch));
    }

    private static NDArray gather(NDArray select, NDArray a) {
        long batch = a.getShape().get(0);
        if (select.getShape().get(0) == batch) {
            return a; // every row picked, in order
        }
        Shape rest = a.getShape().slice(1);
        DataType type = a.getDataType();
        NDArray rows = select.matMul(a.toType(DataType.FLOAT32, false).reshape(batch, -1)); // (Bk, rest)
        return rows.reshape(new Shape(select.getShape().get(0)).addAll(rest)).toType(type, false);
    }

    private static double[][] toRows(NDArray probs, int batch) {
        float[] flat = probs.toFloatArray();
        int k = flat.length / batch;
        double[][] out = new double[batch][k];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < k; j++) {
                out[b][j] = flat[b * k + j];
            }
        }
        return out;
    }
}
