package org.parisjava.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;

class PcaFeaturesTest {

    /** 8x8 grey images: a horizontal gradient of random strength plus a little noise. */
    private static List<ImageU8> gradients(int n, long seed) {
        Random r = new Random(seed);
        List<ImageU8> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble() * 2 - 1;
            byte[] px = new byte[64];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double v = 128 + a * (x - 3.5) * 30 + r.nextGaussian() * 2;
                    px[y * 8 + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            out.add(new ImageU8(1, 8, 8, px));
        }
        return out;
    }

    @Test
    void firstComponentCapturesTheOneDirectionOfVariation(@TempDir Path dir) {
        List<ImageU8> imgs = gradients(200, 1);
        PcaFeatures pca = PcaFeatures.fit(imgs, 3);
        assertEquals(3, pca.dimension());
        assertEquals("pca-3", pca.name());
        double[] ev = pca.explainedVariance();
        assertTrue(ev[0] > 0.95, "first component explains " + ev[0]);
        assertTrue(ev[0] >= ev[1] && ev[1] >= ev[2]);
        // the projection on the first axis orders images by gradient strength: monotone in the left-right difference
        float[][] f = pca.extract(imgs);
        assertEquals(200, f.length);
        double corr = correlation(f, imgs);
        assertTrue(Math.abs(corr) > 0.99, "correlation " + corr);

        Path file = dir.resolve("pca.json");
        pca.save(file);
        PcaFeatures back = PcaFeatures.load(file);
        float[][] g = back.extract(imgs.subList(0, 10));
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(f[i], g[i], 0f, "projection of image " + i + " after save/load");
        }
    }

    private static double correlation(float[][] f, List<ImageU8> imgs) {
        int n = f.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = f[i][0];
            b[i] = imgs.get(i).get(0, 4, 7) - imgs.get(i).get(0, 4, 0);
        }
        double ma = java.util.Arrays.stream(a).average().orElseThrow();
        double mb = java.util.Arrays.stream(b).average().orElseThrow();
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void wrongShapesAndSizesAreNamed() {
        List<ImageU8> imgs = gradients(10, 2);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> PcaFeatures.fit(imgs, 11));
        assertTrue(tooMany.getMessage().contains("Invalid number of PCA components: 11"), tooMany.getMessage());
        PcaFeatures pca = PcaFeatures.fit(imgs, 2);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> pca.extract(List.of(new ImageU8(3, 8, 8, new byte[192]))));
        assertTrue(shape.getMessage().contains("3x8x8"), shape.getMessage());
    }
}
