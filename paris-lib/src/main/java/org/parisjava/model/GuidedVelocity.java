package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.parisjava.flow.ClassifierFreeGuidance;
import org.parisjava.flow.VelocityField;
import org.parisjava.text.TextBatch;

/**
 * A DiT expert as a {@link VelocityField} for the ODE solvers, with classifier-free guidance:
 * one forward over the stacked batch [x; x] with [caption; empty caption] tokens, then
 * v = v_uncond + s (v_cond - v_uncond). With s = 1 it runs the conditional half only.
 * The stacked text is built once here, not at every step.
 *
 * <p>Shapes: B batch, L text tokens, Dt text width; x (B, C, H, W).
 */
public final class GuidedVelocity implements VelocityField, AutoCloseable {

    private final DiT dit;
    private final ParameterStore ps;
    private final float scale;
    private final NDArray tokens;
    private final NDArray mask;
    private final long batch;

    /**
     * @param text  the captions' tokens (B, L, Dt) and mask (B, L)
     * @param empty the empty caption's encoding, one row (1, L, Dt) or B rows
     * @param scale guidance scale s (the paper: 7.5; 1 = no guidance)
     */
    public GuidedVelocity(DiT dit, ParameterStore ps, TextBatch text, TextBatch empty, float scale) {
        this.dit = dit;
        this.ps = ps;
        this.scale = scale;
        this.batch = text.tokens().getShape().get(0);
        if (scale == 1f) {
            this.tokens = text.tokens().duplicate(); // (B, L, Dt)
            this.mask = text.mask().duplicate(); // (B, L)
        } else {
            Shape et = empty.tokens().getShape();
            if (et.get(1) != text.tokens().getShape().get(1) || et.get(2) != text.tokens().getShape().get(2)) {
                throw new IllegalArgumentException("Empty-caption tokens " + et + " do not match caption tokens "
                        + text.tokens().getShape());
            }
            try (NDArray et2 = empty.tokens().broadcast(text.tokens().getShape()); // (B, L, Dt)
                 NDArray em2 = empty.mask().broadcast(text.mask().getShape())) { // (B, L)
                this.tokens = text.tokens().concat(et2, 0); // (2B, L, Dt)
                this.mask = text.mask().concat(em2, 0); // (2B, L)
            }
        }
    }

    @Override
    public NDArray apply(NDArray x, float t) {
        if (x.getShape().get(0) != batch) {
            throw new IllegalArgumentException("Guided velocity built for batch " + batch + ", got x " + x.getShape());
        }
        if (scale == 1f) {
            try (NDArray tt = x.getManager().full(new Shape(batch), t)) { // (B)
                return dit.forward(ps, new NDList(x, tt, tokens, mask), false).singletonOrThrow(); // (B, C, H, W)
            }
        }
        try (NDArray x2 = x.concat(x, 0); // (2B, C, H, W)
             NDArray tt = x.getManager().full(new Shape(2 * batch), t); // (2B)
             NDArray v2 = dit.forward(ps, new NDList(x2, tt, tokens, mask), false).singletonOrThrow()) {
            return ClassifierFreeGuidance.combineStacked(v2, scale); // (B, C, H, W)
        }
    }

    @Override
    public void close() {
        tokens.close();
        mask.close();
    }
}
