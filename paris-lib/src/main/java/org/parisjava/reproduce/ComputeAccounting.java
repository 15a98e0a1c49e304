package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.CheckpointInfo;
import org.parisjava.train.TrainingLoop;

/**
 * The training compute a run measured, per model, in CPU seconds (GPU-seconds for a model trained on a GPU:
 * its wall seconds, one device each). Each training loop records in its checkpoints the CPU and wall seconds its
 * process spent on the steps so far ({@link CheckpointInfo#cpuSeconds()}),
 * which stays right when the experts, the monolith and the routers train side by side in one pool of
 * processes. For models whose checkpoints predate that record, the stage log stands in: the stage's
 * wall seconds times the available cores (skipped stages keep the timing of the run that did them).
 * Figure 6 plots it beside the papers' GPU-days.
 */
public final class ComputeAccounting {
    /** Bar labels, in the figure's order. */
    static final String MONOLITH = "monolith";
    static final String ROUTER = "router";
    static final String TEXT_AWARE_ROUTER = "text-aware router";

    private ComputeAccounting() {
    }

    /** The label of the K experts' bar. */
    static String experts(int k) {
        return k + " experts (together)";
    }

    /**
     * CPU seconds of each trained model of {@code run}: the K experts together, the monolith, the router and,
     * when the run has one, the text-aware router. A model without a checkpoint, or whose checkpoint predates
     * the record, is counted from {@code stages} (reproduce.json) instead; a model found in neither is left out.
     */
    public static Map<String, Double> measuredCompute(RunLayout run, List<RunManifest.StageRecord> stages, int k) {
        Map<String, Double> fromStages = measuredCompute(stages, k);
        Map<String, Double> out = new LinkedHashMap<>();
        double experts = 0;
        boolean allExperts = true;
        for (int c = 0; c < k; c++) {
            double s = cpuSeconds(run.expertDir(c));
            experts += s;
            allExperts &= s > 0;
        }
        put(out, experts(k), allExperts ? experts : 0, fromStages);
        put(out, MONOLITH, cpuSeconds(run.monolithDir()), fromStages);
        put(out, ROUTER, cpuSeconds(run.routerDir()), fromStages);
        double text = cpuSeconds(run.textAwareRouterDir());
        if (text > 0) { // the stage log counts both routers under "router"
            out.put(TEXT_AWARE_ROUTER, text);
        }
        return out;
    }

    private static void put(Map<String, Double> out, String label, double cpu, Map<String, Double> fromStages) {
        if (cpu > 0) {
            out.put(label, cpu);
        } else if (fromStages.containsKey(label)) {
            out.put(label, fromStages.get(label));
        }
    }

    /**
     * The compute recorded in the newest checkpoint of a model folder: its CPU seconds when it trained on the CPU, its
     * wall seconds (one accelerator each) when its last stretch ran on a GPU; 0 when there is no checkpoint or it
     * predates the record.
     */
    static double cpuSeconds(Path modelDir) {
        Optional<CheckpointInfo> c = Checkpoint.peekLatestInfo(modelDir.resolve(TrainingLoop.CHECKPOINTS));
        if (c.isEmpty()) {
            return 0;
        }
        CheckpointInfo i = c.get();
        boolean gpu = i.lastHost() != null && i.lastHost().device() != null && i.lastHost().device().startsWith("gpu");
        return gpu ? i.wallSeconds() : i.cpuSeconds();
    }

    /**
     * Core-seconds of each training stage in {@code stages} (from reproduce.json): wall seconds times the
     * available cores, K experts counted together. A stage that trained beside another in one pool of processes
     * ({@link RunManifest.StageRecord#beside()}) cannot be counted this way and is left out.
     */
    public static Map<String, Double> measuredCompute(List<RunManifest.StageRecord> stages, int k) {
        Map<String, Double> out = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        boolean pooled = stages.stream().anyMatch(r -> r.beside() != null); // the experts' seconds hold the others'
        for (RunManifest.StageRecord r : stages) {
            if (r.skipped() || r.beside() != null || (pooled && r.stage().equals("experts"))) {
                continue;
            }
            switch (r.stage()) {
                case "experts" -> out.put(experts(k), r.seconds() * cores);
                case "monolith" -> out.put(MONOLITH, r.seconds() * cores);
                case "router" -> out.put(ROUTER, r.seconds() * cores);
                default -> {
                }
            }
        }
        return out;
    }
}
