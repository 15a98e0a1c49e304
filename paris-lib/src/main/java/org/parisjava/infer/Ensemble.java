package org.parisjava.infer;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The models a sampler can draw from: K experts (index = cluster; a null entry is a missing expert,
 * e.g. a machine that never delivered its checkpoint), the router, and optionally the monolithic
 * baseline. Experts and monolith map NDList(x (B, C, H, W), t (B), text (B, L, Dt), textMask (B, L))
 * to NDList(v (B, C, H, W)); the router maps NDList(x (B, C, H, W), t (B)) to logits (B, K).
 * Blocks must be initialized with their weights loaded; the ensemble does not own them.
 */
public final class Ensemble {
    private final List<Block> experts;
    private final Block router;
    private final Block monolith;

    private Ensemble(List<Block> experts, Block router, Block monolith) {
        this.experts = Collections.unmodifiableList(new ArrayList<>(experts));
        this.router = router;
        this.monolith = monolith;
    }

    /**
     * @param experts one entry per cluster, null where the expert is missing
     * @param router  the router, or null (then only router-free strategies work: oracle)
     * @param monolith the baseline trained on all data, or null
     */
    public static Ensemble of(List<Block> experts, Block router, Block monolith) {
        if (experts.isEmpty() && monolith == null) {
            throw new IllegalArgumentException("An ensemble needs at least one expert or a monolith");
        }
        return new Ensemble(experts, router, monolith);
    }

    public static Ensemble monolithOnly(Block monolith) {
        if (monolith == null) {
            throw new IllegalArgumentException("monolith must not be null");
        }
        return new Ensemble(List.of(), null, monolith);
    }

    /** K, counting missing experts. */
    public int clusters() {
        return experts.size();
    }

    /** Expert k, or null when it is missing. */
    public Block expert(int k) {
        return experts.get(k);
    }

    public boolean[] available() {
        boolean[] a = new boolean[experts.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = experts.get(k) != null;
        }
        return a;
    }

    public List<Integer> missing() {
        List<Integer> m = new ArrayList<>();
        for (int k = 0; k < experts.size(); k++) {
            if (experts.get(k) == null) {
                m.add(k);
            }
        }
        return m;
    }

    public Block router() {
        return router;
    }

    public Block monolith() {
        return monolith;
    }
}
