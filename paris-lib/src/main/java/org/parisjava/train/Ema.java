package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of the weights, the copy that sampling uses (DiT keeps one with decay
 * 0.9999). The effective decay is {@code min(decay, (1 + n) / (10 + n))} after n updates, so that
 * short runs (smoke, demo) are not dominated by the random initialization.
 */
public final class Ema implements AutoCloseable {
    /** DiT's decay (arXiv 2212.09748 section 5), for runs of hundreds of thousands of steps. */
    public static final double DIT_DECAY = 0.9999;
    /**
     * Our default: an averaging horizon of about 1 / (1 - d) = 1000 updates, which the smoke and demo
     * runs (hundreds of updates) still move; paper-scale runs may set {@link #DIT_DECAY}.
     */
    public static final double DEFAULT_DECAY = 0.999;
    private final Map<String, Parameter> params;
    private final double decay;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private long updates;

    public Ema(Map<String, Parameter> params, double decay, NDManager manager) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must lie in [0, 1): " + decay);
        }
        this.params = params;
        this.decay = decay;
        this.manager = manager.newSubManager();
        for (var e : params.entrySet()) {
            NDArray copy = e.getValue().getArray().duplicate();
            copy.attach(this.manager);
            shadow.put(e.getKey(), copy);
        }
    }

    public double decay() {
        return decay;
    }

    public long updates() {
        return updates;
    }

    /** The decay applied at the next update. */
    public double effectiveDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** shadow = d shadow + (1 - d) w, with the current weights. */
    public void update() {
        float d = (float) effectiveDecay();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (var e : params.entrySet()) {
                shadow.get(e.getKey()).muli(d).addi(e.getValue().getArray().mul(1 - d));
            }
        }
        updates++;
    }

    /** The averaged weights by parameter name. */
    public Map<String, NDArray> tensors() {
        return shadow;
    }

    /** Restores averaged weights saved by {@link #tensors()} after {@code updates} updates. */
    public void load(Map<String, NDArray> tensors, long updates) {
        ModelWeights.copy(tensors, shadow, "EMA");
        this.updates = updates;
    }

    @Override
    public void close() {
        manager.close();
    }
}
