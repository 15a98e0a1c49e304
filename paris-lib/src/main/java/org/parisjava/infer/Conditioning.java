package org.parisjava.infer;

import ai.djl.ndarray.NDArray;

/**
 * Encoded captions as the experts read them: text (B, L, Dt) and its mask (B, L), 1 on real tokens.
 * The caller owns the arrays. The empty caption for classifier-free guidance has B = 1 and is
 * broadcast to the batch.
 */
public record Conditioning(NDArray text, NDArray mask) {
    public Conditioning {
        if (text.getShape().dimension() != 3) {
            throw new IllegalArgumentException("Text embeddings must be (B, L, Dt), got " + text.getShape());
        }
        if (mask.getShape().dimension() != 2 || mask.getShape().get(0) != text.getShape().get(0)
                || mask.getShape().get(1) != text.getShape().get(1)) {
            throw new IllegalArgumentException("Text mask " + mask.getShape() + " does not match text "
                    + text.getShape());
        }
    }

    public int batch() {
        return (int) text.getShape().get(0);
    }
}
