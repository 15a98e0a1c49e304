package org.parisjava.data;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An image stored as unsigned bytes in channel-major (C, H, W) order: compact enough to hold a
 * demo-scale dataset in memory (60,000 Fashion-MNIST images are 47 MB).
 *
 * <p>Models see pixels in [-1, 1] through {@link #toFloat(float[], int)}; figures see a
 * {@link BufferedImage} through {@link #toBufferedImage()}.
 */
public record ImageU8(int channels, int height, int width, byte[] chw) {

    public ImageU8 {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Invalid number of channels: " + channels + " (expected 1 or 3)");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Invalid image size: " + height + "x" + width);
        }
        Objects.requireNonNull(chw, "chw");
        if (chw.length != channels * height * width) {
            throw new IllegalArgumentException("Pixel buffer has " + chw.length + " bytes, expected "
                    + channels + "x" + height + "x" + width + " = " + channels * height * width);
        }
    }

    public int numel() {
        return chw.length;
    }

    /** Unsigned value of channel c at (y, x). */
    public int get(int c, int y, int x) {
        return chw[(c * height + y) * width + x] & 0xFF;
    }

    /** Writes the pixels scaled to [-1, 1] into {@code out} starting at {@code offset}. */
    public void toFloat(float[] out, int offset) {
        for (int i = 0; i < chw.length; i++) {
            out[offset + i] = TO_FLOAT[chw[i] & 0xFF];
        }
    }

    /** {@code v / 127.5 - 1} for every byte value: a table lookup instead of a division per pixel. */
    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            TO_FLOAT[v] = v / 127.5f - 1f;
        }
    }

    public float[] toFloat() {
        float[] out = new float[chw.length];
        toFloat(out, 0);
        return out;
    }

    /** Inverse of {@link #toFloat}: values in [-1, 1], clamped, rounded to the nearest byte. */
    public static ImageU8 fromFloat(float[] values, int offset, int channels, int height, int width) {
        byte[] b = new byte[channels * height * width];
        for (int i = 0; i < b.length; i++) {
            float v = (values[offset + i] + 1f) * 127.5f;
            int q = Math.round(Math.max(0f, Math.min(255f, v)));
            b[i] = (byte) q;
        }
        return new ImageU8(channels, height, width, b);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = get(0, y, x);
                int g = channels == 3 ? get(1, y, x) : r;
                int b = channels == 3 ? get(2, y, x) : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Reads an AWT image as RGB (channels = 3) or luminance (channels = 1). */
    public static ImageU8 fromBufferedImage(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] b = new byte[channels * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int bl = rgb & 0xFF;
                if (channels == 3) {
                    b[(0 * h + y) * w + x] = (byte) r;
                    b[(1 * h + y) * w + x] = (byte) g;
                    b[(2 * h + y) * w + x] = (byte) bl;
                } else {
                    b[y * w + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * bl);
                }
            }
        }
        return new ImageU8(channels, h, w, b);
    }
}
