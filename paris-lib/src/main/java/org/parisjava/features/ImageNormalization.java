package org.parisjava.features;

import java.util.Arrays;

/**
 * How pixels become model input. {@link #SIGNED} is this project's convention (bytes mapped to
 * [-1, 1]); {@link #IMAGENET} is what torchvision-style models and DINOv2 expect: bytes mapped to
 * [0, 1], then per channel {@code (x - mean) / std} with the ImageNet statistics.
 *
 * @param scaleToUnit true: byte / 255 in [0, 1]; false: byte / 127.5 - 1 in [-1, 1]
 * @param mean        per-channel mean subtracted after scaling (length 1 or the channel count)
 * @param std         per-channel divisor (same length as mean, all positive)
 */
public record ImageNormalization(boolean scaleToUnit, float[] mean, float[] std) {

    public static final ImageNormalization SIGNED = new ImageNormalization(false, new float[] {0f}, new float[] {1f});
    public static final ImageNormalization IMAGENET = new ImageNormalization(true,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public ImageNormalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Normalization mean and std must have the same non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new IllegalArgumentException("Normalization std must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Normalizes one byte of channel {@code c}. */
    float apply(int unsignedByte, int c) {
        float x = scaleToUnit ? unsignedByte / 255f : unsignedByte / 127.5f - 1f;
        int k = mean.length == 1 ? 0 : c;
        return (x - mean[k]) / std[k];
    }

    void checkChannels(int channels) {
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("Normalization has " + mean.length + " channel statistics, the model input has "
                    + channels + " channels");
        }
    }
}
