package org.parisjava.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parisjava.cluster.ClusteringOptions;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.ImageU8;
import org.parisjava.vision.HfFixtures;

/** DINOv2 clustering features from the tiny transformers folder: normalization, pooling, slicing. */
class HfDinov2FeaturesTest {

    private static List<ImageU8> images(int n, int channels, int side, long seed) {
        Random r = new Random(seed);
        List<ImageU8> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[channels * side * side];
            r.nextBytes(px);
            out.add(new ImageU8(channels, side, side, px));
        }
        return out;
    }

    @Test
    void clsAndMeanPatchOfImagenetNormalizedPixels() {
        List<ImageU8> batch = images(5, 3, 28, 1);
        try (NDManager m = NDManager.newBaseManager();
             HfDinov2Features cls = HfDinov2Features.builder().setFolder(HfFixtures.folder("tiny-dinov2"))
                     .optInputSize(28).optSlice(2).build();
             HfDinov2Features both = HfDinov2Features.builder().setFolder(HfFixtures.folder("tiny-dinov2"))
                     .optInputSize(28).optPooling(HfDinov2Features.Pooling.CLS_AND_MEAN_PATCH).build()) {
            float[][] f = cls.extract(batch); // (5, 32), in slices of 2
            float[][] g = both.extract(batch); // (5, 64), one slice
            assertEquals(32, cls.dimension());
            assertEquals(64, both.dimension());
            // the same pixels normalized by hand ((x / 255 - mean) / std) through the model
            float[] mean = {0.485f, 0.456f, 0.406f};
            float[] std = {0.229f, 0.224f, 0.225f};
            float[] x = new float[5 * 3 * 28 * 28];
            for (int i = 0; i < 5; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 28 * 28; p++) {
                        x[(i * 3 + c) * 784 + p] = (batch.get(i).get(c, p / 28, p % 28) / 255f - mean[c]) / std[c];
                    }
                }
            }
            NDArray[] want = cls.model().features(m.create(x, new Shape(5, 3, 28, 28)));
            float[] wantCls = want[0].toFloatArray();
            float[] wantMean = want[1].toFloatArray();
            for (int i = 0; i < 5; i++) {
                for (int d = 0; d < 32; d++) {
                    assertEquals(wantCls[i * 32 + d], f[i][d], 1e-5, "CLS " + i + "," + d);
                    assertEquals(wantCls[i * 32 + d], g[i][d], 1e-5, "concatenated CLS " + i + "," + d);
                    assertEquals(wantMean[i * 32 + d], g[i][32 + d], 1e-5, "concatenated mean " + i + "," + d);
                }
            }
            assertTrue(cls.name().startsWith("hf:tiny-dinov2(dinov2, 2 layers, D 32, input 28, cls"), cls.name());
        }
    }

    @Test
    void greyImagesAreRepeatedAndResized() {
        List<ImageU8> grey = images(2, 1, 16, 2);
        List<ImageU8> rgb = new ArrayList<>();
        for (ImageU8 g : grey) {
            byte[] px = new byte[3 * 16 * 16];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(g.chw(), 0, px, c * 256, 256);
            }
            rgb.add(new ImageU8(3, 16, 16, px));
        }
        try (HfDinov2Features fx = HfDinov2Features.builder().setFolder(HfFixtures.folder("tiny-dinov2"))
                .optInputSize(42).build()) {
            float[][] a = fx.extract(grey);
            float[][] b = fx.extract(rgb);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(b[i], a[i], 1e-6f);
            }
        }
    }

    @Test
    void pipelineOptionsTakeHfFolders() {
        PipelineOptions o = new PipelineOptions(ClusteringOptions.of(4, 2, 0), "hf:/models/dinov2-large", 8, 10, 0, 224,
                true, 16, 4);
        assertEquals("hf:/models/dinov2-large", o.features());
        assertThrows(IllegalArgumentException.class, () -> new PipelineOptions(ClusteringOptions.of(4, 2, 0), "hf:", 8, 10,
                0, 224, true, 16, 4));
        assertThrows(IllegalArgumentException.class, () -> HfDinov2Features.builder()
                .setFolder(HfFixtures.folder("tiny-dinov2")).optInputSize(10).build());
    }
}
