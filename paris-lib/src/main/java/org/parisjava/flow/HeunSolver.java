package org.parisjava.flow;

import ai.djl.ndarray.NDArray;

/**
 * Second-order Heun (explicit trapezoid): an Euler predictor, then the average of the velocities
 * at both ends. Two model evaluations per step; error O(h^2) instead of Euler's O(h).
 */
public final class HeunSolver implements OdeSolver {

    @Override
    public int evaluationsPerStep() {
        return 2;
    }

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public NDArray step(VelocityField v, NDArray x, float t, float tNext) {
        float h = tNext - t;
        NDArray v1 = v.apply(x, t); // (B, C, H, W)
        NDArray predicted = x.add(v1.mul(h)); // (B, C, H, W)
        NDArray v2 = v.apply(predicted, tNext); // (B, C, H, W)
        return x.add(v1.add(v2).muli(0.5f * h)); // (B, C, H, W)
    }
}
