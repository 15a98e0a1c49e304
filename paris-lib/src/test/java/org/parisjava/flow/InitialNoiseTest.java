package org.parisjava.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitialNoiseTest {
    @Test
    void anImagesNoiseDependsOnSeedAndIdOnlyAndIsStandardNormal() {
        float[] batch = InitialNoise.gaussian(7, new long[] {0, 1, 2}, 4);
        float[] alone = InitialNoise.gaussian(7, new long[] {2}, 4);
        assertArrayEquals(alone, Arrays.copyOfRange(batch, 8, 12), "image 2 alone equals image 2 in a batch");
        assertNotEquals(Arrays.toString(alone), Arrays.toString(InitialNoise.gaussian(8, new long[] {2}, 4)));
        float[] many = InitialNoise.gaussian(1, InitialNoise.firstIds(100), 100);
        double mean = 0;
        double sq = 0;
        for (float v : many) {
            mean += v;
            sq += v * v;
        }
        mean /= many.length;
        double var = sq / many.length - mean * mean;
        assertEquals(0, mean, 0.05); // 10,000 draws: standard error 0.01
        assertEquals(1, var, 0.05);
    }
}
