package org.parisjava.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The published numbers this project compares against (docs/design.md, section 1): Paris (arXiv
 * 2510.03434) and Decentralized Diffusion Models (DDM, arXiv 2501.05450). FID-50K, lower is better.
 */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    /** A system's training data and compute. */
    public record System(String name, double trainingImagesMillions, double gpuDays) {
    }

    public static final System PARIS = new System("Paris", 11, 72);
    public static final System DDM = new System("DDM", 158, 1176);

    /** Paris, DiT-B/2 scale, FID-50K per inference strategy (no oracle reported). */
    public static final Map<String, Double> PARIS_FID = ordered(
            "monolith", 29.64, "top-1", 30.60, "top-2", 22.60, "full", 47.89);

    /** DDM, ImageNet, K = 8, FID-50K per inference strategy. */
    public static final Map<String, Double> DDM_FID = ordered(
            "monolith", 12.81, "top-1", 9.84, "top-2", 10.31, "full", 10.52, "oracle", 10.46);

    /** Paris's DiT-XL/2 FID. */
    public static final double PARIS_XL2_FID = 12.45;

    /** 158M / 11M = 14.4x less data. */
    public static double dataRatio() {
        return DDM.trainingImagesMillions() / PARIS.trainingImagesMillions();
    }

    /** 1176 / 72 = 16.3x less compute. */
    public static double computeRatio() {
        return DDM.gpuDays() / PARIS.gpuDays();
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
