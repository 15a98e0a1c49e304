package org.parisjava.data;

/**
 * Limits on what one sample may hold, checked before its bytes are read or decoded, so that a
 * single bad input (a decompression bomb, a video stored as a tar member) is refused by name
 * instead of exhausting memory.
 *
 * @param maxImagePixels the most pixels (width x height, read from the image's header) an image may
 *                       have; larger images are refused before any pixel is decoded
 * @param maxMemberBytes the most bytes one WebDataset tar member may have; a larger member refuses
 *                       its sample and the reader goes on with the next
 */
public record InputLimits(long maxImagePixels, long maxMemberBytes) {

    /**
     * Pillow's {@code Image.MAX_IMAGE_PIXELS}: 1024 * 1024 * 1024 / 4 / 3 = 89,478,485 pixels, about
     * a 9,500 x 9,500 picture; decoded as RGB it takes about 360 MB.
     */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 1024L * 1024 * 1024 / 4 / 3;

    /** 64 MiB: far more than a training image needs, small enough to hold in memory. */
    public static final long DEFAULT_MAX_MEMBER_BYTES = 64L << 20;

    public InputLimits {
        if (maxImagePixels <= 0) {
            throw new IllegalArgumentException("Invalid image pixel limit: " + maxImagePixels + " (expected > 0)");
        }
        if (maxMemberBytes <= 0) {
            throw new IllegalArgumentException("Invalid tar member size limit: " + maxMemberBytes + " (expected > 0)");
        }
    }

    /** {@link #DEFAULT_MAX_IMAGE_PIXELS} and {@link #DEFAULT_MAX_MEMBER_BYTES}. */
    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_MEMBER_BYTES);
    }

    public InputLimits withMaxImagePixels(long pixels) {
        return new InputLimits(pixels, maxMemberBytes);
    }

    public InputLimits withMaxMemberBytes(long bytes) {
        return new InputLimits(maxImagePixels, bytes);
    }
}
