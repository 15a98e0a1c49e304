package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.eval.EvaluationFeatures;
import org.parisjava.run.RunLayout;

/** The real images' features are computed once per run and feature space, and read back after. */
class ReferenceFeaturesTest {
    @TempDir
    Path tmp;

    /** Mean and first pixel of each image, counting the images it has seen. */
    static final class Counting implements EvaluationFeatures {
        final String name;
        int images;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public float[][] features(List<ImageU8> batch) {
            images += batch.size();
            float[][] out = new float[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                byte[] px = batch.get(i).chw();
                double sum = 0;
                for (byte b : px) {
                    sum += b & 0xFF;
                }
                out[i] = new float[] {(float) (sum / px.length), px[0] & 0xFF, i};
            }
            return out;
        }

        @Override
        public String name() {
            return name;
        }
    }

    @Test
    void computedOnceReusedOnRerunAndKeyedByTheFeatureSpace() {
        List<List<Sample>> byCluster = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] px = new byte[3 * 4 * 4];
                java.util.Arrays.fill(px, (byte) (c * 100 + i * 7));
                samples.add(new Sample("s" + c + "-" + i, new ImageU8(3, 4, 4, px), "caption " + i, Map.of()));
            }
            byCluster.add(samples);
        }
        EvaluationSet.Split split = EvaluationSet.split(byCluster, 6, 3);
        assertEquals(6, split.heldOut().size());
        assertEquals(14, split.reference().size());
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Counting a = new Counting("space-a");
        ReferenceFeatures first = ReferenceFeatures.loadOrCompute(run, a, split, 3);
        assertEquals(20, a.images);
        ReferenceFeatures again = ReferenceFeatures.loadOrCompute(run, a, split, 3);
        assertEquals(20, a.images, "the second evaluation reads the cache");
        for (int i = 0; i < first.reference().length; i++) {
            assertArrayEquals(first.reference()[i], again.reference()[i]);
        }
        for (int i = 0; i < first.heldOut().length; i++) {
            assertArrayEquals(first.heldOut()[i], again.heldOut()[i]);
        }
        Counting b = new Counting("space-b");
        ReferenceFeatures.loadOrCompute(run, b, split, 3);
        assertEquals(20, b.images, "another feature space is computed anew");
        ReferenceFeatures.loadOrCompute(run, a, EvaluationSet.split(byCluster, 4, 3), 3);
        assertEquals(40, a.images, "another split too");
    }
}
