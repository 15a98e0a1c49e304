package org.parisjava.text;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A frozen text encoder: captions to token vectors plus a key mask, shared read-only by every
 * expert. Implementations must be deterministic: the same caption always gives the same tokens.
 * The empty caption {@code ""} is the unconditional input for classifier-free guidance.
 */
public interface TextEncoder extends AutoCloseable {

    /** Width Dt of each token vector. */
    int dim();

    /** Number of tokens L every caption is padded or truncated to. */
    int maxTokens();

    /** A short description recorded with a run's config, e.g. {@code hashed(dim=64,tokens=16,seed=0)}. */
    String describe();

    /**
     * Encodes a batch of captions; arrays are created on {@code manager}.
     *
     * @return tokens (B, L, Dt) float32 and mask (B, L) float32, 1 for a real token, 0 for padding
     */
    TextBatch encode(List<String> captions, NDManager manager);

    @Override
    default void close() {
    }
}
