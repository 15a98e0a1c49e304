package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) on NDArrays, written here rather than taken from DJL so that its
 * state (first and second moments per parameter, the step count) can be saved and restored
 * exactly, which makes a resumed run bit-identical to an uninterrupted one.
 *
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   w = w (1 - lr wd)              (decoupled decay, matrices only by default)
 *   w = w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * The caller computes the gradients (and clips them); {@link #step} applies one update using each
 * parameter's current gradient.
 */
public final class AdamW implements AutoCloseable {
    /**
     * First-moment decay: Adam's default (Kingma and Ba, arXiv 1412.6980), which DiT trains with
     * (AdamW at PyTorch's defaults, arXiv 2212.09748 section 5).
     */
    public static final double BETA1 = 0.9;
    /** Second-moment decay: Adam's default (arXiv 1412.6980), as DiT (arXiv 2212.09748). */
    public static final double BETA2 = 0.999;
    /** Denominator term: Adam's default (arXiv 1412.6980). */
    public static final double EPS = 1e-8;
    /** DiT trains "with no weight decay" (arXiv 2212.09748 section 5); our experts and router do too. */
    public static final double DIT_WEIGHT_DECAY = 0.0;

    /**
     * @param beta1             first-moment decay ({@link #BETA1})
     * @param beta2             second-moment decay ({@link #BETA2})
     * @param eps               added to the denominator ({@link #EPS})
     * @param weightDecay       decoupled decay per unit learning rate (0 to 0.1 typical)
     * @param decayMatricesOnly skip biases, norm gains and other 1-D parameters, as common practice does
     */
    public record Options(double beta1, double beta2, double eps, double weightDecay, boolean decayMatricesOnly) {
        public Options {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must lie in [0, 1): " + beta1 + ", " + beta2);
            }
            if (!(eps > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW needs eps > 0 and weightDecay >= 0: " + eps + ", " + weightDecay);
            }
        }

        /** {@link #BETA1}, {@link #BETA2}, {@link #EPS}, decay on matrices only. */
        public static Options defaults(double weightDecay) {
            return new Options(BETA1, BETA2, EPS, weightDecay, true);
        }
    }

    /**
     * Whether to use the engine's fused Adam update ({@code NDArrayEx.adamUpdate}, one native call
     * per parameter instead of about ten); {@code -Dparis.adamw.fused=false} restores the op-by-op form.
     */
    private static final boolean FUSED = Boolean.parseBoolean(System.getProperty("paris.adamw.fused", "true"));

    private final Options options;
    private final Map<String, Parameter> params;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    /** Optimizes {@code params} (typically {@link ParameterNames#of}); state lives in a sub-manager of {@code manager}. */
    public AdamW(Map<String, Parameter> params, Options options, NDManager manager) {
        this.options = options;
        this.params = params;
        this.manager = manager.newSubManager();
        for (var e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            m.put(e.getKey(), this.manager.zeros(w.getShape(), w.getDataType()));
            v.put(e.getKey(), this.manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    public Options options() {
        return options;
    }

    /** Number of updates applied so far (t in the bias correction). */
    public long step() {
        return step;
    }

    /** Applies one update at learning rate {@code lr} with the gradients currently held by the parameters. */
    public void step(double lr) {
        step++;
        float b1 = (float) options.beta1();
        float b2 = (float) options.beta2();
        float bc1 = (float) (1 - Math.pow(options.beta1(), step));
        float bc2 = (float) (1 - Math.pow(options.beta2(), step));
        float decay = (float) (1 - lr * options.weightDecay());
        // the engine's fused update (one native call per parameter, PyTorch's ATen ops inside):
        // w -= lr sqrt(bc2) / bc1 * m / (sqrt(v) + eps sqrt(bc2)), which equals the form above
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        float epsCorrected = (float) (options.eps() * Math.sqrt(bc2));
        try (NDScope scope = new NDScope()) { // closes the gradient views getGradient() hands out
            scope.suppressNotUsedWarning();
            update(lr, b1, b2, bc1, bc2, decay, lrCorrected, epsCorrected);
        }
    }

    private void update(double lr, float b1, float b2, float bc1, float bc2, float decay, float lrCorrected,
                        float epsCorrected) {
        for (var e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            NDArray g = w.getGradient();
            NDArray mi = m.get(e.getKey());
            NDArray vi = v.get(e.getKey());
            boolean decays = options.weightDecay() > 0
                    && (!options.decayMatricesOnly() || w.getShape().dimension() >= 2);
            if (FUSED && w.getClass() == mi.getClass() && w.getClass() == g.getClass()) {
                // inputs (weight, gradient, first moment, second moment), updated in place; no clipping
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, mi, vi), new NDList(w), (float) lr, lrCorrected,
                        decays ? (float) options.weightDecay() : 0f, 1f, -1f, b1, b2, epsCorrected, false, true);
            } else {
                mi.muli(b1).addi(g.mul(1 - b1));
                vi.muli(b2).addi(g.square().muli(1 - b2));
                if (decays) {
                    w.muli(decay);
                }
                NDArray denom = vi.div(bc2).sqrt().addi((float) options.eps());
                w.subi(mi.div(bc1).divi(denom).muli((float) lr));
            }
        }
    }

    /** The state as tensors named {@code m.<param>} and {@code v.<param>} (the step count goes in metadata). */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m." + k, a));
        v.forEach((k, a) -> out.put("v." + k, a));
        return out;
    }

    /** Restores what {@link #state()} saved; every moment must be present with its parameter's shape. */
    public void load(Map<String, NDArray> state, long step) {
        for (String k : params.keySet()) {
            copyInto(state, "m." + k, m.get(k));
            copyInto(state, "v." + k, v.get(k));
        }
        this.step = step;
    }

    private static void copyInto(Map<String, NDArray> state, String name, NDArray target) {
        NDArray src = state.get(name);
        if (src == null) {
            throw new IllegalArgumentException("Optimizer state lacks tensor " + name);
        }
        if (!src.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("Optimizer tensor " + name + " has shape " + src.getShape()
                    + ", the parameter has " + target.getShape());
        }
        target.set(src.toByteBuffer());
    }

    @Override
    public void close() {
        manager.close();
    }
}
