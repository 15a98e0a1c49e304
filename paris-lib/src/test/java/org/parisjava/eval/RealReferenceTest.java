package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Why the Frechet distance is measured in a PCA space at small N: on Gaussian features with a
 * decaying spectrum (as classifier and DINOv2 features have), 128 generated images in 128 dimensions
 * give a full-space FD dominated by its sample-size bias, and a worse set is told from a better one less
 * often than in the PCA space of {@link RealReference#fdDimensions} components.
 */
class RealReferenceTest {
    static final int D = 128;

    /** N rows of N(shift * e_0, diag(1/j)), j = 1..D. */
    static float[][] gaussian(int n, double shift, Random r) {
        float[][] x = new float[n][D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                x[i][j] = (float) (r.nextGaussian() / Math.sqrt(j + 1) + (j == 0 ? shift : 0));
            }
        }
        return x;
    }

    @Test
    void pcaAxesComeLargestVarianceFirstAndProjectCentredRows() {
        float[][] real = gaussian(2000, 0, new Random(1));
        RealReference ref = RealReference.fit(real, 4);
        assertEquals(4, ref.dimensions());
        assertTrue(Math.abs(ref.components()[0][0]) > 0.95, "first axis is e_0");
        assertTrue(Math.abs(ref.components()[1][1]) > 0.9, "second axis is e_1");
        assertEquals(1.0, ref.projected().cov()[0][0], 0.1);
        assertEquals(0.5, ref.projected().cov()[1][1], 0.06);
        assertEquals(16, RealReference.fdDimensions(128, 128));
        assertEquals(2, RealReference.fdDimensions(8, 128));
        assertEquals(32, RealReference.fdDimensions(1000, 32));
    }

    @Test
    void atSmallNThePcaSpaceRanksASlightlyWorseSetCorrectlyMoreOftenThanTheFullSpace() {
        int n = 128;
        float[][] real = gaussian(400, 0, new Random(7));
        RealReference ref = RealReference.fit(real, RealReference.fdDimensions(n, D));
        GaussianStats fullRef = GaussianStats.of(real);
        int trials = 20;
        int pcaRight = 0;
        int fullRight = 0;
        int kidRight = 0;
        double fullRealVsReal = 0;
        double pcaRealVsReal = 0;
        for (int t = 0; t < trials; t++) {
            Random r = new Random(100 + t);
            float[][] better = gaussian(n, 0.2, r);
            float[][] worse = gaussian(n, 0.3, r);
            float[][] same = gaussian(n, 0, r);
            pcaRight += fd(ref, better) < fd(ref, worse) ? 1 : 0;
            fullRight += FrechetDistance.between(fullRef, GaussianStats.of(better))
                    < FrechetDistance.between(fullRef, GaussianStats.of(worse)) ? 1 : 0;
            kidRight += KernelInceptionDistance.between(real, better) < KernelInceptionDistance.between(real, worse) ? 1 : 0;
            fullRealVsReal += FrechetDistance.between(fullRef, GaussianStats.of(same)) / trials;
            pcaRealVsReal += fd(ref, same) / trials;
        }
        String measured = String.format(java.util.Locale.ROOT, "right order: PCA-%d %d/%d, full %d/%d, KID %d/%d;"
                + " real vs real FD: PCA %.3f, full %.3f", ref.dimensions(), pcaRight, trials, fullRight, trials, kidRight,
                trials, pcaRealVsReal, fullRealVsReal);
        assertTrue(pcaRight > fullRight, measured);
        assertTrue(fullRealVsReal > 5 * pcaRealVsReal, measured);
        org.slf4j.LoggerFactory.getLogger(RealReferenceTest.class).info(measured);
    }

    @Test
    void realVersusRealKidIntervalReachesZeroAndAShiftedSetsDoesNot() {
        float[][] real = gaussian(300, 0, new Random(3));
        RealReference ref = RealReference.fit(real, 8);
        QualityMetrics same = ref.measure(gaussian(64, 0, new Random(4)), 5);
        QualityMetrics shifted = ref.measure(gaussian(64, 1.0, new Random(4)), 5);
        assertTrue(same.kid().lower() <= 0 && same.kid().upper() >= 0, same.kid().toString());
        assertTrue(shifted.kid().lower() > 0, shifted.kid().toString());
        assertTrue(shifted.fd().separatedFrom(same.fd()), same.fd() + " vs " + shifted.fd());
        assertTrue(same.precision() > 0.5 && same.recall() > 0.5, same.toString());
    }

    private static double fd(RealReference ref, float[][] x) {
        return FrechetDistance.between(ref.projected(), GaussianStats.of(ref.project(x)));
    }
}
