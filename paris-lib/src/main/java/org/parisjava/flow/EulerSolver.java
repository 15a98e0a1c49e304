package org.parisjava.flow;

import ai.djl.ndarray.NDArray;

/** First-order Euler: x_next = x + (tNext - t) v(x, t). The paper samples with 50 Euler steps. */
public final class EulerSolver implements OdeSolver {

    @Override
    public int evaluationsPerStep() {
        return 1;
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public NDArray step(VelocityField v, NDArray x, float t, float tNext) {
        NDArray vel = v.apply(x, t); // (B, C, H, W)
        return x.add(vel.mul(tNext - t)); // (B, C, H, W)
    }
}
