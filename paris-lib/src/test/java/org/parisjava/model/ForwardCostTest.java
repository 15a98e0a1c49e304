package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForwardCostTest {
    @Test
    void classConditionalDiTMatchesTheDiTPapersTable() {
        // DiT-XL/2 on 32x32x4 latents, class-conditional, AdaLN-Zero per block: 118.6 "Gflops", which are MACs
        // (arXiv 2212.09748, table 4); DiT-B/2: 23.01.
        ForwardCost xl = ForwardCost.classConditionalDiT("DiT-XL/2", 4, 32, 2, 1152, 28, 4);
        assertEquals(118.6, xl.gmacs(), 0.01 * 118.6);
        ForwardCost b = ForwardCost.classConditionalDiT("DiT-B/2", 4, 32, 2, 768, 12, 4);
        assertEquals(23.01, b.gmacs(), 0.01 * 23.01);
        assertEquals(2 * b.gmacs(), b.gflops(), 1e-9);
        assertEquals(2 * b.macs(), b.flops(), 1e-3);
    }

    @Test
    void smokeExpertCountedLayerByLayer() {
        // smoke: T = 64 tokens (16 / 2 squared), D = 32, P = 2 * 2 * 3 = 12, L = 8, Dt = 32, depth 2, MLP 4D.
        DiTConfig c = DiTConfig.of("smoke");
        long patch = 64 * 12 * 32;
        long timestepAndAdaLn = 256 * 32 + 32 * 32 + 32 * 6 * 32;
        long caption = 8 * (32 * 32 + 32 * 32);
        long self = 64 * 3 * 32 * 32 + 2 * 64 * 64 * 32 + 64 * 32 * 32;
        long cross = 2 * 64 * 32 * 32 + 8 * 2 * 32 * 32 + 2 * 64 * 8 * 32;
        long mlp = 2 * 64 * 32 * 128;
        long fin = 64 * 32 * 12;
        long want = patch + timestepAndAdaLn + caption + 2 * (self + cross + mlp) + fin;
        assertEquals(2_538_496L, want);
        assertEquals(want, ForwardCost.of(c).macs(), 0);
        assertEquals(2.0 * want, ForwardCost.of(c).flops(), 0);
    }

    @Test
    void textCrossAttentionCostsOnTopOfTheClassConditionalModel() {
        DiTConfig xl = DiTConfig.of("DiT-XL/2");
        ForwardCost text = ForwardCost.of(xl);
        ForwardCost plain = ForwardCost.classConditionalDiT("x", 4, 32, 2, 1152, 28, 4);
        assertTrue(text.macs() > 1.2 * plain.macs(), text + " vs " + plain);
    }

    @Test
    void routerCountsItsClsToken() {
        RouterConfig r = RouterConfig.of("smoke"); // 16 / 4 = 4 per side: T = 16, 17 with CLS; D = 32, K = 4
        double t = 17;
        double d = 32;
        double want = 16 * (4 * 4 * 3) * d + (256 * d + d * d)
                + 2 * (t * 3 * d * d + 2 * t * t * d + t * d * d + 2 * t * d * 4 * d + 6 * d * d) + d * d + d * 4;
        assertEquals(want, ForwardCost.of(r).macs(), 0);
        assertThrows(IllegalArgumentException.class, () -> new ForwardCost("x", Double.NaN));
    }
}
