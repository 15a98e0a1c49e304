package org.parisjava.data;

/**
 * The shape every image of a dataset has after loading: (C, H, W). Images have 1 or 3 channels
 * ({@link ImageU8} checks that); a spec also describes what a sampler draws, which may be a latent
 * of any channel count (4 for the SD-VAE latents of the released Paris model).
 */
public record ImageSpec(int channels, int height, int width) {
    public ImageSpec {
        if (channels < 1) {
            throw new IllegalArgumentException("Invalid number of channels: " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Invalid image size: " + height + "x" + width);
        }
    }

    public int numel() {
        return channels * height * width;
    }

    public boolean matches(ImageU8 img) {
        return img.channels() == channels && img.height() == height && img.width() == width;
    }
}
