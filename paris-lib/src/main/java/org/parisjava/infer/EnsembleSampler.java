package org.parisjava.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.parisjava.data.ImageSpec;
import org.parisjava.eval.ExpertUsage;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Euler sampling from t = 1 (noise) to t = 0 (data) through a routed mixture of experts:
 *
 * <pre>
 *   v(x_t, t, c) = sum_k w_k(x_t, t) * [ v_k(x_t, t, empty) + s (v_k(x_t, t, c) - v_k(x_t, t, empty)) ]
 * </pre>
 *
 * where w = strategy(softmax(router(x_t, t))). Guidance is applied to each expert before mixing
 * (DESIGN.md section 3), with the conditional and unconditional rows in one batched forward. An
 * expert runs only on the rows that give it a nonzero weight: those rows are gathered, run, and
 * scattered back weighted. Missing experts are dropped by the strategy and logged once per sampler.
 *
 * <p>Letters: B images, Bk rows routed to expert k, C/H/W image, L text tokens, Dt text width, K experts.
 */
public final class EnsembleSampler {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleSampler.class);

    private final Ensemble ensemble;
    private final SamplerConfig config;
    private final Set<Integer> warnedMissing = new HashSet<>();

    public EnsembleSampler(Ensemble ensemble, SamplerConfig config) {
        this.ensemble = ensemble;
        this.config = config;
    }

    public SamplerConfig config() {
        return config;
    }

    /** As {@link #sample(NDManager, Conditioning, Conditioning, RoutingStrategy, long[], int[], ProgressListener)} without progress. */
    public SamplingResult sample(NDManager manager, Conditioning cond, Conditioning empty, RoutingStrategy strategy,
                                 long[] sampleIds, int[] trueClusters) {
        return sample(manager, cond, empty, strategy, sampleIds, trueClusters, ProgressListener.NONE);
    }

    /**
     * Samples one batch.
     *
     * @param cond         the captions (B, L, Dt) and mask (B, L)
     * @param empty        the empty caption (1, L, Dt) for guidance; may be null when guidance is off
     * @param sampleIds    a stable id per image (B): seeds its noise and stochastic routing
     * @param trueClusters the cluster each caption came from (B), or null; the oracle needs it
     */
    public SamplingResult sample(NDManager manager, Conditioning cond, Conditioning empty, RoutingStrategy strategy,
                                 long[] sampleIds, int[] trueClusters, ProgressListener progress) {
        int batch = sampleIds.length;
        if (cond.batch() != batch) {
            throw new IllegalArgumentException("Conditioning has " + cond.batch() + " rows, sampleIds " + batch);
        }
        if (config.guided() && (empty == null || empty.batch() != 1)) {
            throw new IllegalArgumentException("Guidance scale " + config.guidanceScale()
                    + " needs the empty caption as a (1, L, Dt) conditioning");
        }
        List<Block> models = models(strategy);
        boolean[] available = new boolean[models.size()];
        for (int k = 0; k < available.length; k++) {
            available[k] = models.get(k) != null;
        }
        warnMissing(available);
        Block router = ensemble.router();
        if (strategy.needsRouter() && router == null) {
            throw new IllegalStateException("Strategy '" + strategy.name() + "' needs a router, the ensemble has none");
        }
        if (strategy.needsTrueCluster() && trueClusters == null) {
            throw new IllegalArgumentException("Strategy '" + strategy.name() + "' needs the true cluster of each image");
        }

        int steps = config.steps();
        ExpertUsage.Recorder usage = new ExpertUsage.Recorder(models.size(), steps);
        usage.addImages(batch);
        long[] calls = new long[models.size()];
        long[] rows = new long[models.size()];
        long routerCalls = 0;
        ImageSpec spec = config.spec();
        Shape imageShape = new Shape(batch, spec.channels(), spec.height(), spec.width());
        float[] pixels;
        try (NDManager bm = manager.newSubManager()) {
            NDArray x = bm.create(noise(spec, config.seed(), sampleIds), imageShape); // (B, C, H, W)
            for (int step = 0; step < steps; step++) {
                double t = 1.0 - (double) step / steps;
                double dt = 1.0 / steps;
                try (NDManager sm = bm.newSubManager()) {
                    ParameterStore ps = new ParameterStore(sm, false);
                    NDArray tb = sm.full(new Shape(batch), (float) t); // (B)
                    double[][] probs = null;
                    if (strategy.needsRouter()) {
                        NDArray logits = router.forward(ps, new NDList(x, tb), false).singletonOrThrow(); // (B, K)
                        probs = toRows(logits.softmax(-1), batch);
                        routerCalls++;
                    }
                    double[][] w = strategy.weights(probs, available,
                            new RoutingContext(step, sampleIds, trueClusters)); // (B, K)
                    usage.record(step, t, w);
                    NDArray v = sm.zeros(imageShape); // (B, C, H, W)
                    for (int k = 0; k < models.size(); k++) {
                        int[] picked = rowsOf(w, k);
                        if (picked.length == 0) {
                            continue;
                        }
                        NDArray select = selection(sm, picked, batch); // (Bk, B)
                        NDArray vk = guidedVelocity(ps, models.get(k), gather(select, x), sm.full(
                                new Shape(picked.length), (float) t), gather(select, cond.text()),
                                gather(select, cond.mask()), empty); // (Bk, C, H, W)
                        calls[k]++;
                        rows[k] += config.guided() ? 2L * picked.length : picked.length;
                        float[] wk = new float[picked.length];
                        for (int i = 0; i < picked.length; i++) {
                            wk[i] = (float) w[picked[i]][k];
                        }
                        NDArray spread = select.transpose().mul(sm.create(wk).reshape(1, picked.length)); // (B, Bk)
                        v = v.add(spread.matMul(vk.reshape(picked.length, -1)).reshape(imageShape));
                    }
                    NDArray next = x.sub(v.mul((float) dt)); // (B, C, H, W), Euler step towards t - dt
                    next.attach(bm);
                    x.close();
                    x = next;
                }
                progress.onProgress(new ProgressEvent("sample " + strategy.name(), step + 1, steps, Map.of("t", t)));
            }
            pixels = x.toFloatArray();
        }
        return new SamplingResult(strategy.name(), spec, sampleIds.clone(), pixels, usage.build(), calls, rows,
                routerCalls);
    }

    /** The initial noise x_1 of each image, from (seed, image id) alone: batching does not change an image. */
    public static float[] noise(ImageSpec spec, long seed, long[] sampleIds) {
        int n = spec.numel();
        float[] out = new float[sampleIds.length * n];
        for (int i = 0; i < sampleIds.length; i++) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sampleIds[i]);
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) rnd.nextGaussian();
            }
        }
        return out;
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

    /** One batched forward with the conditional rows then the unconditional ones, combined by CFG. */
    private NDArray guidedVelocity(ParameterStore ps, Block model, NDArray x, NDArray t, NDArray text,
                                   NDArray mask, Conditioning empty) {
        if (!config.guided()) {
            return model.forward(ps, new NDList(x, t, text, mask), false).singletonOrThrow();
        }
        long bk = x.getShape().get(0);
        NDArray emptyText = empty.text().broadcast(new Shape(bk, text.getShape().get(1), text.getShape().get(2)));
        NDArray emptyMask = empty.mask().toType(mask.getDataType(), false)
                .broadcast(new Shape(bk, mask.getShape().get(1)));
        NDList in = new NDList(x.concat(x), t.concat(t), text.concat(emptyText), mask.concat(emptyMask)); // (2Bk, ...)
        NDArray out = model.forward(ps, in, false).singletonOrThrow(); // (2Bk, C, H, W)
        NDArray vc = out.get("0:" + bk); // (Bk, C, H, W)
        NDArray vu = out.get(bk + ":"); // (Bk, C, H, W)
        return vu.add(vc.sub(vu).mul((float) config.guidanceScale()));
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
