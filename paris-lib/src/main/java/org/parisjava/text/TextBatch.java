package org.parisjava.text;

import ai.djl.ndarray.NDArray;

/**
 * Encoded captions.
 *
 * @param tokens (B, L, Dt) float32 token vectors
 * @param mask   (B, L) float32, 1 where a token is real, 0 for padding
 */
public record TextBatch(NDArray tokens, NDArray mask) implements AutoCloseable {

    public TextBatch {
        if (tokens.getShape().dimension() != 3 || mask.getShape().dimension() != 2
                || tokens.getShape().get(0) != mask.getShape().get(0)
                || tokens.getShape().get(1) != mask.getShape().get(1)) {
            throw new IllegalArgumentException("Text tokens " + tokens.getShape() + " and mask " + mask.getShape()
                    + " do not match (want (B, L, D) and (B, L))");
        }
    }

    @Override
    public void close() {
        tokens.close();
        mask.close();
    }
}
