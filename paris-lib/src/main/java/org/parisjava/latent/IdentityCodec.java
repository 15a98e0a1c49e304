package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Pixel space: latents are the images themselves. The default for small images (16x16, 28x28). */
public final class IdentityCodec implements LatentCodec {

    @Override
    public NDArray encode(NDArray images) {
        return images.duplicate(); // (B, C, H, W)
    }

    @Override
    public NDArray decode(NDArray latents) {
        return latents.duplicate(); // (B, C, H, W)
    }

    @Override
    public Shape latentShape(int channels, int height, int width) {
        return new Shape(channels, height, width);
    }

    @Override
    public float scale() {
        return 1f;
    }

    @Override
    public String describe() {
        return "identity";
    }
}
