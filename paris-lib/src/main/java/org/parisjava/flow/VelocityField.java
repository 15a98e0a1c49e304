package org.parisjava.flow;

import ai.djl.ndarray.NDArray;

/**
 * A velocity field v(x, t) to integrate: a trained expert, a guided expert, or a router-weighted
 * mixture of experts. x is (B, C, H, W); t is the scalar time shared by the batch. The result must
 * have x's shape and may live on x's manager (the solvers close each step's arrays).
 */
@FunctionalInterface
public interface VelocityField {

    NDArray apply(NDArray x, float t);
}
