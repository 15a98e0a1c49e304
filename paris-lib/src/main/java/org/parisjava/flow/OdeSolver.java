package org.parisjava.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Integrates dx/dt = v(x, t) from t = 1 (noise) to t = 0 (data) over a uniform grid of n steps.
 * Each step's temporaries live in a sub-manager that is closed before the next step.
 */
public interface OdeSolver {

    /** Model evaluations per step (Euler 1, Heun 2): the cost of sampling is steps x this. */
    int evaluationsPerStep();

    String name();

    /** One step from time {@code t} to {@code tNext} (tNext < t). */
    NDArray step(VelocityField v, NDArray x, float t, float tNext);

    /**
     * Integrates from {@code noise} at t = 1 to t = 0. The result is a new array on noise's manager;
     * noise itself is left untouched.
     */
    default NDArray sample(VelocityField v, NDArray noise, int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("Invalid number of sampling steps: " + steps);
        }
        NDManager base = noise.getManager();
        NDArray x = noise.duplicate(); // (B, C, H, W)
        for (int i = 0; i < steps; i++) {
            float t = 1f - (float) i / steps;
            float tNext = 1f - (float) (i + 1) / steps;
            try (NDManager stepManager = base.newSubManager()) {
                x.attach(stepManager);
                NDArray next = step(v, x, t, tNext); // (B, C, H, W)
                next.attach(base);
                x = next;
            }
        }
        return x;
    }

    static OdeSolver of(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "euler":
                return new EulerSolver();
            case "heun":
                return new HeunSolver();
            default:
                throw new IllegalArgumentException("Unknown ODE solver '" + name + "'; use euler or heun");
        }
    }
}
