package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Maps images to the space the experts diffuse in, and back. Frozen and shared by every expert.
 * Images are (B, C, H, W) in [-1, 1]; latents are (B, C', H', W') already multiplied by
 * {@link #scale()} (so they have roughly unit variance, as the flow path's noise assumes).
 */
public interface LatentCodec extends AutoCloseable {

    /** images (B, C, H, W) in [-1, 1] -> scaled latents (B, C', H', W'). */
    NDArray encode(NDArray images);

    /** scaled latents (B, C', H', W') -> images (B, C, H, W), roughly in [-1, 1]. */
    NDArray decode(NDArray latents);

    /** The latent shape (C', H', W') for images of shape (C, H, W). */
    Shape latentShape(int channels, int height, int width);

    /** The factor applied after encoding and divided out before decoding (sd-vae-ft-mse: 0.18215). */
    float scale();

    /** A short description recorded with a run's config. */
    String describe();

    @Override
    default void close() {
    }
}
