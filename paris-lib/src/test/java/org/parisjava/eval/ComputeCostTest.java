package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.parisjava.infer.ExpertUsage;
import org.parisjava.model.ForwardCost;

class ComputeCostTest {
    @Test
    void strategiesDifferByActiveExpertsAndGuidanceDoubles() {
        ForwardCost expert = new ForwardCost("e", 1e9); // 2 GFLOPs per forward
        ForwardCost router = new ForwardCost("r", 0.5e9); // 1 GFLOP per forward
        ExpertUsage.Recorder rec = new ExpertUsage.Recorder(3, 2);
        // Two images, two steps: image 0 uses two experts at both steps, image 1 one expert.
        rec.record(0, 1.0, new double[][] {{0.5, 0.5, 0}, {1, 0, 0}});
        rec.record(1, 0.5, new double[][] {{0, 0.7, 0.3}, {0, 0, 1}});
        rec.addImages(2);
        ExpertUsage usage = rec.build();
        assertEquals(3.0, usage.expertEvaluationsPerImage(), 1e-12);
        ComputeCost cfg = ComputeCost.of("top-2", usage, expert, router, true);
        assertEquals(6.0, cfg.expertForwardsPerImage(), 1e-12);
        assertEquals(2.0, cfg.routerForwardsPerImage(), 1e-12);
        assertEquals(6 * 2 + 2 * 1, cfg.gflopsPerImage(), 1e-9);
        ComputeCost noCfg = ComputeCost.of("top-2", usage, expert, null, false);
        assertEquals(3 * 2, noCfg.gflopsPerImage(), 1e-9);
        ComputeCost full = ComputeCost.predicted("full", 3, 2, expert, router, true);
        assertEquals(3 * 2 * 2 * 2 + 2, full.gflopsPerImage(), 1e-9);
        assertEquals(0.5, usage.steps().get(0).fractionRun(1, usage.images()), 1e-12);
        assertEquals(0.75, usage.steps().get(0).meanWeight(0, usage.images()), 1e-12);
        assertEquals(1 + 2 * 3, usage.toCsv().split("\n").length);
        assertEquals("0,1.0000,0,1.000000,0.750000", usage.toCsv().split("\n")[1].trim());
    }
}
