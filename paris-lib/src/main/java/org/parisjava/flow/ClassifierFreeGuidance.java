package org.parisjava.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Classifier-free guidance (docs/design.md, section 2): v = v_uncond + s (v_cond - v_uncond), applied to
 * each expert before the router mixes them. s = 1 is the plain conditional model; s = 0 the
 * unconditional one; the paper samples with s = 7.5.
 */
public final class ClassifierFreeGuidance {

    private ClassifierFreeGuidance() {
    }

    public static NDArray combine(NDArray vUncond, NDArray vCond, float scale) {
        return vUncond.add(vCond.sub(vUncond).muli(scale)); // (B, C, H, W)
    }

    /**
     * For one batched forward over [conditional; unconditional] inputs (2B rows, conditional first):
     * splits the output in half and combines.
     */
    public static NDArray combineStacked(NDArray vBoth, float scale) {
        long rows = vBoth.getShape().get(0);
        if (rows % 2 != 0) {
            throw new IllegalArgumentException("Stacked CFG output needs an even batch, got " + rows);
        }
        NDList halves = vBoth.split(2, 0); // 2 x (B, C, H, W)
        return combine(halves.get(1), halves.get(0), scale);
    }
}
