package org.parisjava.data;

/**
 * The shape (C, H, W) every image of a dataset has after loading (C = 1 or 3 for pixels), or of the
 * latents a codec gives for them (any C, e.g. 4 for the SD-VAE's 32x32x4 latents of 256 px images).
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

    /** Whether this is the shape of pixel images (1 or 3 channels), which {@link ImageU8} can hold. */
    public boolean isPixels() {
        return channels == 1 || channels == 3;
    }

    public boolean matches(ImageU8 img) {
        return img.channels() == channels && img.height() == height && img.width() == width;
    }
}
