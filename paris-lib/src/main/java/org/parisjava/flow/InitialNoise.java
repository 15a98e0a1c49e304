package org.parisjava.flow;

import java.util.SplittableRandom;

/**
 * The starting point of sampling, x_1 ~ N(0, I) at t = 1, the only place the project draws it:
 * each image's noise comes from (seed, image id) alone, so an image does not depend on the batch it
 * is drawn in, and the same seed and id give the same noise in every sampler (one expert, the
 * monolith or the routed ensemble), which is what makes their images comparable prompt by prompt.
 */
public final class InitialNoise {
    /** Mixes the seed before the image id is added (the 64-bit golden ratio, an odd constant). */
    private static final long SEED_MIX = 0x9E3779B97F4A7C15L;

    private InitialNoise() {
    }

    /**
     * Standard normal noise for each image id.
     *
     * @param numel values per image (C H W)
     * @return (B, numel) flattened, image i's values at [i numel, (i + 1) numel)
     */
    public static float[] gaussian(long seed, long[] imageIds, int numel) {
        if (numel < 1) {
            throw new IllegalArgumentException("Invalid values per image: " + numel);
        }
        float[] out = new float[Math.multiplyExact(imageIds.length, numel)];
        for (int i = 0; i < imageIds.length; i++) {
            SplittableRandom rnd = new SplittableRandom(seed * SEED_MIX + imageIds[i]);
            for (int j = 0; j < numel; j++) {
                out[i * numel + j] = (float) rnd.nextGaussian();
            }
        }
        return out;
    }

    /** Image ids 0 .. n - 1. */
    public static long[] firstIds(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }
}
