package org.parisjava.train;

import java.util.SplittableRandom;

/**
 * Which samples make up the batch of a given step, as a pure function of (seed, step): epoch e
 * visits the data in a permutation seeded by (seed, e), and step s takes positions
 * [s B, (s + 1) B) of the concatenated epochs. A resumed run therefore sees exactly the batches
 * the uninterrupted run would have. {@link #stepSeed} gives the seed for the step's other random
 * draws (timesteps, noise, caption dropout).
 */
public final class DataOrder {
    public static final String DESCRIPTION = "epoch permutation Fisher-Yates(SplittableRandom(mix(seed, epoch))), "
            + "step s takes positions [s*B, (s+1)*B); timesteps and caption dropout from java.util.Random(mix(seed, s)), "
            + "noise from torch seeded with hash(mix(seed, s))";

    private final long seed;
    private final int count;
    private final int batch;
    private long cachedEpoch = -1;
    private int[] perm;

    public DataOrder(long seed, int count, int batch) {
        if (count < 1) {
            throw new IllegalArgumentException("Cannot train on an empty data set");
        }
        this.seed = seed;
        this.count = count;
        this.batch = batch;
    }

    /** Sample indices of the batch of update {@code step} (0-based). */
    public int[] batch(long step) {
        int[] out = new int[batch];
        for (int j = 0; j < batch; j++) {
            long pos = step * batch + j;
            out[j] = permutation(pos / count)[(int) (pos % count)];
        }
        return out;
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            SplittableRandom r = new SplittableRandom(mix(seed, epoch ^ 0x5EED_0000_0000L));
            perm = new int[count];
            for (int i = 0; i < count; i++) {
                perm[i] = i;
            }
            for (int i = count - 1; i > 0; i--) {
                int k = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[k];
                perm[k] = t;
            }
            cachedEpoch = epoch;
        }
        return perm;
    }

    /** Seed of step {@code step}'s random draws. */
    public static long stepSeed(long seed, long step) {
        return mix(seed, step);
    }

    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
