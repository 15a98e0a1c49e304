package org.parisjava.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a sampler can draw from: K experts (index = cluster; a null entry is a missing expert,
 * e.g. a machine that never delivered its checkpoint), the router, and optionally the monolithic
 * baseline. Experts and monolith map NDList(x (B, C, H, W), t (B), text (B, L, Dt), textMask (B, L))
 * to NDList(v (B, C, H, W)); the router maps NDList(x (B, C, H, W), t (B)) to logits (B, K).
 * Blocks must be initialized with their weights loaded; the ensemble does not own them.
 */
public final class Ensemble {
    private static final Logger LOG = LoggerFactory.getLogger(Ensemble.class);
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

    /**
     * Loads a run's experts 0..K-1, router and monolith from their newest checkpoints, with EMA
     * weights, onto {@code manager} (the caller closes it). An expert without a complete checkpoint
     * is missing (logged); a missing router or monolith is null, so only the strategies that do not
     * need it can run.
     */
    public static Ensemble load(RunLayout run, int clusters, NDManager manager) {
        List<Block> experts = new ArrayList<>();
        DiTConfig config = null;
        for (int k = 0; k < clusters; k++) {
            DiT expert = loadDiT(run.expertDir(k), manager);
            if (expert == null) {
                LOG.warn("Expert {} has no complete checkpoint under {}: it will be treated as missing", k,
                        run.expertDir(k));
            } else if (config != null && !config.equals(expert.config())) {
                throw new IllegalArgumentException("Expert " + k + " has config " + expert.config() + ", expert 0.."
                        + (k - 1) + " have " + config + ": experts must share one config");
            } else {
                config = expert.config();
            }
            experts.add(expert);
        }
        Block router = null;
        if (Checkpoint.latest(run.routerDir().resolve(FlowTrainer.CHECKPOINTS)).isPresent()) {
            Router r = RouterTrainer.load(run.routerDir(), manager);
            if (r.config().clusters() != clusters) {
                throw new IllegalArgumentException("Router in " + run.routerDir() + " scores " + r.config().clusters()
                        + " experts, the run has " + clusters);
            }
            router = r;
        }
        DiT monolith = loadDiT(run.monolithDir(), manager);
        if (experts.stream().allMatch(e -> e == null) && monolith == null) {
            throw new IllegalArgumentException("No expert and no monolith checkpoint under " + run.root());
        }
        return new Ensemble(experts, router, monolith);
    }

    private static DiT loadDiT(Path dir, NDManager manager) {
        Optional<Checkpoint> c = Checkpoint.latest(dir.resolve(FlowTrainer.CHECKPOINTS));
        if (c.isEmpty()) {
            return null;
        }
        DiT model = FlowTrainer.newModel(c.get().info().config(DiTConfig.class), manager, 0);
        c.get().loadWeights(model, true);
        return model;
    }

    /** The experts' shared config (or the monolith's), for cost accounting. */
    public DiTConfig expertConfig() {
        for (Block b : experts) {
            if (b instanceof DiT d) {
                return d.config();
            }
        }
        return monolith instanceof DiT d ? d.config() : null;
    }

    /** The router's config, or null without a (project) router. */
    public RouterConfig routerConfig() {
        return router instanceof Router r ? r.config() : null;
    }

    public Block router() {
        return router;
    }

    /**
     * The same experts and monolith with another router (e.g. a text-aware one beside the paper's
     * text-blind router), which must score the same K experts.
     *
     * @throws IllegalArgumentException when a {@link Router} scores another number of experts
     */
    public Ensemble withRouter(Block other) {
        if (other instanceof Router r && r.config().clusters() != experts.size()) {
            throw new IllegalArgumentException("Router scores " + r.config().clusters() + " experts, the ensemble has "
                    + experts.size());
        }
        return new Ensemble(experts, other, monolith);
    }

    public Block monolith() {
        return monolith;
    }
}
