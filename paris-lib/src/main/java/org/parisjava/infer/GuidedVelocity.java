package org.parisjava.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.parisjava.flow.ClassifierFreeGuidance;
import org.parisjava.flow.VelocityField;
import org.parisjava.text.TextBatch;

/**
 * The classifier-free guided velocity of one model (a DiT expert or the monolith), the only place
 * the project forms it: one forward over the stacked batch [x; x] with [caption; empty caption]
 * tokens, then v = v_uncond + s (v_cond - v_uncond) ({@link ClassifierFreeGuidance}). With s = 1
 * it runs the conditional rows only. Paris guides each expert before the router mixes them
 * (arXiv 2510.03434; docs/design.md, section 2), so every sampler calls this
 * per expert.
 *
 * <p>Two forms: an object for one fixed batch of captions (a {@link VelocityField} for the ODE
 * solvers, with the stacked text built once), and {@link #of} for rows that change at every step
 * (the ensemble sampler's per-expert row selection).
 *
 * <p>Shapes: B batch, L text tokens, Dt text width; x (B, C, H, W). The model takes
 * NDList(x (B, C, H, W), t (B), tokens (B, L, Dt), mask (B, L)) and returns (B, C, H, W).
 */
public final class GuidedVelocity implements VelocityField, AutoCloseable {

    private final Block model;
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
    public GuidedVelocity(Block model, ParameterStore ps, TextBatch text, TextBatch empty, float scale) {
        this.model = model;
        this.ps = ps;
        this.scale = scale;
        this.batch = text.tokens().getShape().get(0);
        if (scale == 1f) {
            this.tokens = text.tokens().duplicate(); // (B, L, Dt)
            this.mask = text.mask().duplicate(); // (B, L)
        } else {
            NDList stacked = stackWithEmpty(text.tokens(), text.mask(), empty);
            this.tokens = stacked.get(0); // (2B, L, Dt)
            this.mask = stacked.get(1); // (2B, L)
        }
    }

    @Override
    public NDArray apply(NDArray x, float t) {
        if (x.getShape().get(0) != batch) {
            throw new IllegalArgumentException("Guided velocity built for batch " + batch + ", got x " + x.getShape());
        }
        try (NDArray tt = x.getManager().full(new Shape(batch), t)) { // (B)
            return forward(model, ps, x, tt, tokens, mask, scale);
        }
    }

    /**
     * The guided velocity of {@code model} for rows whose captions change from call to call.
     *
     * @param x     (B, C, H, W)
     * @param t     (B), the time of each row
     * @param text  (B, L, Dt) caption tokens
     * @param mask  (B, L) caption mask
     * @param empty the empty caption, (1, L, Dt) or B rows; unused when {@code scale} is 1
     * @return (B, C, H, W), on x's manager
     */
    public static NDArray of(Block model, ParameterStore ps, NDArray x, NDArray t, NDArray text, NDArray mask,
                             TextBatch empty, float scale) {
        if (scale == 1f) {
            return forward(model, ps, x, t, text, mask, scale);
        }
        NDList stacked = stackWithEmpty(text, mask, empty);
        return forward(model, ps, x, t, stacked.get(0), stacked.get(1), scale);
    }

    /** [caption; empty caption]: tokens (2B, L, Dt) and mask (2B, L), the caption rows first. */
    private static NDList stackWithEmpty(NDArray text, NDArray mask, TextBatch empty) {
        Shape ts = text.getShape();
        Shape et = empty.tokens().getShape();
        if (et.get(1) != ts.get(1) || et.get(2) != ts.get(2)) {
            throw new IllegalArgumentException("Empty-caption tokens " + et + " do not match caption tokens " + ts);
        }
        try (NDArray emptyText = empty.tokens().broadcast(ts); // (B, L, Dt)
             NDArray emptyMask = empty.mask().toType(mask.getDataType(), false).broadcast(mask.getShape())) { // (B, L)
            return new NDList(text.concat(emptyText, 0), mask.concat(emptyMask, 0)); // (2B, L, Dt), (2B, L)
        }
    }

    /** One forward: the B rows as they are (s = 1), or the 2B stacked rows combined by CFG. */
    private static NDArray forward(Block model, ParameterStore ps, NDArray x, NDArray t, NDArray tokens, NDArray mask,
                                   float scale) {
        if (scale == 1f) {
            return model.forward(ps, new NDList(x, t, tokens, mask), false).singletonOrThrow(); // (B, C, H, W)
        }
        try (NDArray x2 = x.concat(x, 0); // (2B, C, H, W)
             NDArray t2 = t.concat(t, 0); // (2B)
             NDArray v2 = model.forward(ps, new NDList(x2, t2, tokens, mask), false).singletonOrThrow()) {
            return ClassifierFreeGuidance.combineStacked(v2, scale); // (B, C, H, W)
        }
    }

    @Override
    public void close() {
        tokens.close();
        mask.close();
    }
}
