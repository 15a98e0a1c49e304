package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * The diagonal Gaussian the VAE encoder outputs per latent value (diffusers'
 * {@code DiagonalGaussianDistribution}), unscaled: N(mean, exp(logVariance)), the log-variance
 * already clamped to [-30, 20] as diffusers clamps it.
 *
 * @param mean        (B, C', h, w)
 * @param logVariance (B, C', h, w)
 */
public record LatentDistribution(NDArray mean, NDArray logVariance) implements AutoCloseable {

    /** diffusers' clamp of the log-variance. */
    public static final float MIN_LOG_VARIANCE = -30f;
    public static final float MAX_LOG_VARIANCE = 20f;

    /**
     * A draw mean + exp(logVariance / 2) * eps, eps standard normal from {@code rng.nextGaussian()} in
     * row-major order of (B, C', h, w) (so the same seed gives the same latents on any machine).
     *
     * @return (B, C', h, w) in the mean's manager
     */
    public NDArray sample(Random rng) {
        float[] eps = new float[(int) mean.size()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) rng.nextGaussian();
        }
        try (NDArray noise = mean.getManager().create(eps, mean.getShape()).toType(mean.getDataType(), false);
             NDArray half = logVariance.mul(0.5f);
             NDArray std = half.exp()) {
            return std.mul(noise).addi(mean); // (B, C', h, w)
        }
    }

    @Override
    public void close() {
        mean.close();
        logVariance.close();
    }
}
