package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KID, precision/recall and bootstrap intervals: against reference values written by
 * scripts/make_metric_fixtures.py (numpy, from the papers' formulas), and against the controls a
 * metric must pass (a set against itself, against a shifted copy).
 */
class MetricsTest {

    private static JsonObject reference() throws IOException {
        try (Reader r = new InputStreamReader(MetricsTest.class.getResourceAsStream("/metrics/reference.json"),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    private static float[][] rows(JsonArray a) {
        float[][] out = new float[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            JsonArray row = a.get(i).getAsJsonArray();
            out[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).getAsFloat();
            }
        }
        return out;
    }

    static float[][] gaussian(int n, int d, double shift, double scale, long seed) {
        Random rng = new Random(seed);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (shift + scale * rng.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void kidAndPrecisionRecallMatchTheReference() throws IOException {
        JsonObject ref = reference();
        float[][] real = rows(ref.getAsJsonArray("real"));
        float[][] gen = rows(ref.getAsJsonArray("generated"));
        assertEquals(ref.get("kid").getAsDouble(), KernelInceptionDistance.between(real, gen), 1e-9);
        float[][] first = java.util.Arrays.copyOfRange(real, 0, 20);
        float[][] second = java.util.Arrays.copyOfRange(real, 20, 40);
        assertEquals(ref.get("kid_real_halves").getAsDouble(), KernelInceptionDistance.between(first, second), 1e-9);
        PrecisionRecall pr = PrecisionRecall.of(real, gen, ref.get("k").getAsInt());
        assertEquals(ref.get("precision").getAsDouble(), pr.precision(), 1e-12);
        assertEquals(ref.get("recall").getAsDouble(), pr.recall(), 1e-12);
    }

    @Test
    void kidIsAboutZeroForTheSameDistributionAndGrowsWithTheShift() {
        float[][] real = gaussian(300, 16, 0, 1, 1);
        float[][] same = gaussian(300, 16, 0, 1, 2);
        double kidSame = KernelInceptionDistance.between(real, same);
        double kidNear = KernelInceptionDistance.between(real, gaussian(300, 16, 0.3, 1, 3));
        double kidFar = KernelInceptionDistance.between(real, gaussian(300, 16, 1.0, 1, 4));
        assertTrue(Math.abs(kidSame) < 0.02, "same distribution: " + kidSame);
        assertTrue(kidNear > 5 * Math.abs(kidSame), kidNear + " vs " + kidSame);
        assertTrue(kidFar > 3 * kidNear, kidFar + " vs " + kidNear);
        // subsets: the mean over subsets estimates the same quantity
        double subsetMean = KernelInceptionDistance.mean(real, gaussian(300, 16, 1.0, 1, 4), 100, 50, 9);
        assertEquals(kidFar, subsetMean, 0.15 * kidFar);
    }

    @Test
    void precisionAndRecallSeparateFidelityFromDiversity() {
        float[][] real = gaussian(200, 4, 0, 1, 5);
        PrecisionRecall same = PrecisionRecall.of(real, gaussian(200, 4, 0, 1, 6));
        assertTrue(same.precision() > 0.8 && same.recall() > 0.8, same.toString());
        // a collapsed generator: every image near the mode -> faithful but not diverse
        PrecisionRecall collapsed = PrecisionRecall.of(real, gaussian(200, 4, 0, 0.1, 7));
        assertTrue(collapsed.precision() > 0.95, collapsed.toString());
        assertTrue(collapsed.recall() < 0.3, collapsed.toString());
        // far away: neither
        PrecisionRecall far = PrecisionRecall.of(real, gaussian(200, 4, 20, 1, 8));
        assertEquals(0.0, far.precision());
        assertEquals(0.0, far.recall());
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.of(real, gaussian(3, 4, 0, 1, 1)));
    }

    @Test
    void bootstrapIntervalsAreReproducibleCoverTheEstimateAndSeparateDistinctSets() {
        float[][] real = gaussian(128, 8, 0, 1, 11);
        float[][] near = gaussian(128, 8, 0.05, 1, 12);
        float[][] far = gaussian(128, 8, 0.8, 1, 13);
        BootstrapInterval a = KernelInceptionDistance.interval(real, near, 100, 0.95, 3);
        BootstrapInterval again = KernelInceptionDistance.interval(real, near, 100, 0.95, 3);
        assertEquals(a, again, "same seed, same interval");
        assertTrue(a.lower() <= a.estimate() && a.estimate() <= a.upper(), a.toString());
        assertTrue(a.lower() < 0.01, "a near-identical set's interval reaches about zero: " + a);
        BootstrapInterval b = KernelInceptionDistance.interval(real, far, 100, 0.95, 3);
        assertTrue(b.separatedFrom(a) && a.separatedFrom(b), a + " vs " + b);
        BootstrapInterval fd = BootstrapInterval.of(real, far, FrechetDistance::between, 100, 0.95, 5);
        assertTrue(fd.lower() <= fd.estimate() && fd.estimate() <= fd.upper(), fd.toString());
        BootstrapInterval fdNear = BootstrapInterval.of(real, near, FrechetDistance::between, 100, 0.95, 5);
        assertFalse(fdNear.separatedFrom(BootstrapInterval.of(real, gaussian(128, 8, 0.05, 1, 14),
                FrechetDistance::between, 100, 0.95, 5)), "two draws of the same generator are not distinguishable");
        assertEquals("0.500 [0.250, 1.000]", new BootstrapInterval(0.5, 0.25, 1.0, 0.95, 10).format(3));
    }

    @Test
    void kidBootstrapLeavesOutTiedPairs() {
        // a resample that repeats one row: within-set pairs of the same row must not count
        float[][] x = {{1, 0}, {0, 1}, {1, 1}};
        float[][] y = {{0, 0}, {1, 0}, {2, 2}};
        double tied = KernelInceptionDistance.mmd2(x, new int[] {0, 0, 1}, y, new int[] {0, 1, 2});
        int d = 2;
        double xx = KernelInceptionDistance.kernel(x[0], x[1], d); // pairs (0,1) twice -> mean = k(x0, x1)
        double yy = (KernelInceptionDistance.kernel(y[0], y[1], d) + KernelInceptionDistance.kernel(y[0], y[2], d)
                + KernelInceptionDistance.kernel(y[1], y[2], d)) / 3;
        double xy = 0;
        for (int a : new int[] {0, 0, 1}) {
            for (float[] b : y) {
                xy += KernelInceptionDistance.kernel(x[a], b, d);
            }
        }
        assertEquals(xx + yy - 2 * xy / 9, tied, 1e-12);
    }
}
