package org.parisjava.reproduce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training compute a run measured, from its stage log: core-seconds (wall seconds x available
 * cores) of the experts (together), the monolith and the router. Stages skipped as already complete
 * keep the timing of the run that did them. Figure 6 plots it beside the papers' GPU-days.
 */
public final class ComputeAccounting {
    private ComputeAccounting() {
    }

    /** Core-seconds of each training stage in {@code stages} (from reproduce.json), K experts counted together. */
    public static Map<String, Double> measuredCompute(List<RunManifest.StageRecord> stages, int k) {
        Map<String, Double> out = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        for (RunManifest.StageRecord r : stages) {
            if (r.skipped()) {
                continue;
            }
            switch (r.stage()) {
                case "experts" -> out.put(k + " experts (together)", r.seconds() * cores);
                case "monolith" -> out.put("monolith", r.seconds() * cores);
                case "router" -> out.put("router", r.seconds() * cores);
                default -> {
                }
            }
        }
        return out;
    }
}
