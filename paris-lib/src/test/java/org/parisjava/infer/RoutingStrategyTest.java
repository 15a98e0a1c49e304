package org.parisjava.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RoutingStrategyTest {
    private static final double EPS = 1e-12;
    private static final double[][] P = {
            {0.5, 0.3, 0.15, 0.05},
            {0.1, 0.2, 0.3, 0.4}};
    private static final boolean[] ALL = {true, true, true, true};

    private static double[][] w(RoutingStrategy s, boolean[] available) {
        return s.weights(P, available, RoutingContext.of(0, 2));
    }

    @Test
    void topTwoKeepsTheTwoLargestRenormalized() {
        double[][] w = w(RoutingStrategy.top2(), ALL);
        assertArrayEquals(new double[] {0.5 / 0.8, 0.3 / 0.8, 0, 0}, w[0], EPS);
        assertArrayEquals(new double[] {0, 0, 0.3 / 0.7, 0.4 / 0.7}, w[1], EPS);
    }

    @Test
    void topOneIsOneHotOnTheArgmax() {
        double[][] w = w(RoutingStrategy.top1(), ALL);
        assertArrayEquals(new double[] {1, 0, 0, 0}, w[0], EPS);
        assertArrayEquals(new double[] {0, 0, 0, 1}, w[1], EPS);
    }

    @Test
    void missingExpertIsDroppedAndTheRestRenormalized() {
        boolean[] noZero = {false, true, true, true};
        double[][] full = w(RoutingStrategy.full(), noZero);
        assertArrayEquals(new double[] {0, 0.3 / 0.5, 0.15 / 0.5, 0.05 / 0.5}, full[0], EPS);
        // top-2 picks among the available ones: experts 1 and 2 for row 0.
        double[][] top2 = w(RoutingStrategy.top2(), noZero);
        assertArrayEquals(new double[] {0, 0.3 / 0.45, 0.15 / 0.45, 0}, top2[0], EPS);
        assertArrayEquals(new double[] {0, 0, 0.3 / 0.7, 0.4 / 0.7}, top2[1], EPS);
        assertThrows(IllegalStateException.class, () -> w(RoutingStrategy.full(), new boolean[4]));
    }

    @Test
    void fullIsTheRouterDistribution() {
        double[][] w = w(RoutingStrategy.full(), ALL);
        assertArrayEquals(P[0], w[0], EPS);
        assertArrayEquals(P[1], w[1], EPS);
    }

    @Test
    void oracleIsOneHotOnTheTrueClusterAndIgnoresTheRouter() {
        RoutingContext ctx = new RoutingContext(3, new long[] {0, 1}, new int[] {2, 0});
        double[][] w = RoutingStrategy.oracle().weights(null, ALL, ctx);
        assertArrayEquals(new double[] {0, 0, 1, 0}, w[0], EPS);
        assertArrayEquals(new double[] {1, 0, 0, 0}, w[1], EPS);
        assertFalse(RoutingStrategy.oracle().needsRouter());
        // Missing true expert without a router: uniform over the rest.
        double[][] fallback = RoutingStrategy.oracle().weights(null, new boolean[] {true, true, false, true}, ctx);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 0, 1 / 3.0}, fallback[0], EPS);
        assertThrows(IllegalArgumentException.class,
                () -> RoutingStrategy.oracle().weights(null, ALL, RoutingContext.of(0, 2)));
    }

    @Test
    void thresholdKeepsExpertsAboveTauAndAlwaysTheArgmax() {
        double[][] w = w(RoutingStrategy.threshold(0.25), ALL);
        assertArrayEquals(new double[] {0.5 / 0.8, 0.3 / 0.8, 0, 0}, w[0], EPS);
        assertArrayEquals(new double[] {0, 0, 0.3 / 0.7, 0.4 / 0.7}, w[1], EPS);
        double[][] high = w(RoutingStrategy.threshold(0.9), ALL);
        assertArrayEquals(new double[] {1, 0, 0, 0}, high[0], EPS);
        assertArrayEquals(new double[] {0, 0, 0, 1}, high[1], EPS);
    }

    @Test
    void sampleKIsDeterministicPerImageAndStepAndFollowsTheRouter() {
        RoutingStrategy s = RoutingStrategy.sampleK(2, 42);
        double[][] a = s.weights(P, ALL, new RoutingContext(5, new long[] {7, 8}, null));
        double[][] b = s.weights(P, ALL, new RoutingContext(5, new long[] {7, 8}, null));
        assertTrue(Arrays.deepEquals(a, b));
        // The same image in another batch position draws the same experts.
        double[][] swapped = s.weights(new double[][] {P[1], P[0]}, ALL, new RoutingContext(5, new long[] {8, 7}, null));
        assertArrayEquals(a[0], swapped[1], EPS);
        for (double[] row : a) {
            assertEquals(1.0, Arrays.stream(row).sum(), EPS);
            assertEquals(2, Arrays.stream(row).filter(v -> v > 0).count());
        }
        // Over many images the most likely expert of row 0 is drawn most often, the least likely least often.
        int[] counts = new int[4];
        for (int id = 0; id < 2000; id++) {
            double[][] w = s.weights(new double[][] {P[0]}, ALL, new RoutingContext(0, new long[] {id}, null));
            for (int j = 0; j < 4; j++) {
                counts[j] += w[0][j] > 0 ? 1 : 0;
            }
        }
        assertTrue(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[3], Arrays.toString(counts));
        assertNotEquals(0, counts[3]);
    }

    @Test
    void namesRoundTripThroughParse() {
        for (RoutingStrategy s : new RoutingStrategy[] {RoutingStrategy.monolith(), RoutingStrategy.top1(),
                RoutingStrategy.top2(), RoutingStrategy.topK(3), RoutingStrategy.full(), RoutingStrategy.oracle(),
                RoutingStrategy.sampleK(2, 9), RoutingStrategy.sampleK(1, 0), RoutingStrategy.threshold(0.2)}) {
            assertEquals(s, RoutingStrategy.parse(s.name()));
        }
        assertThrows(IllegalArgumentException.class, () -> RoutingStrategy.parse("top-0"));
        assertThrows(IllegalArgumentException.class, () -> RoutingStrategy.parse("bogus"));
    }

    @Test
    void monolithGivesTheSingleModelWeightOne() {
        double[][] w = RoutingStrategy.monolith().weights(null, new boolean[] {true}, RoutingContext.of(0, 3));
        assertEquals(3, w.length);
        assertEquals(1.0, w[2][0], EPS);
        assertThrows(IllegalArgumentException.class,
                () -> RoutingStrategy.monolith().weights(null, ALL, RoutingContext.of(0, 1)));
    }
}
