package org.parisjava.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parisjava.data.ImageSpec;
import org.parisjava.text.TextBatch;

/**
 * Stub velocity fields with known formulas and a stub router with known logits, so the sampler's
 * trajectory can be recomputed in plain double arithmetic.
 */
class EnsembleSamplerTest {
    private static final ImageSpec SPEC = new ImageSpec(3, 3, 3);
    private static final int B = 4;
    private static final int L = 2;
    private static final int DT = 3;
    private static final double[] A = {-0.5, 0.3, 0.8};
    private static final double[] BT = {0.2, -0.4, 0.1};
    private static final double[] G = {1.0, -2.0, 0.5};
    private static final double[] R = {3.0, -2.0, 0.5};
    private static final double[] Q = {0.0, 1.0, -1.0};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static List<Block> experts(List<StubModels.StubVelocity> stubs) {
        return new ArrayList<>(stubs);
    }

    private static List<StubModels.StubVelocity> stubs() {
        List<StubModels.StubVelocity> s = new ArrayList<>();
        for (int k = 0; k < A.length; k++) {
            s.add(new StubModels.StubVelocity(A[k], BT[k], G[k]));
        }
        return s;
    }

    private static double textSum(int row) {
        return L * DT * 0.01 * (row + 1);
    }

    private TextBatch cond() {
        float[] text = new float[B * L * DT];
        for (int r = 0; r < B; r++) {
            Arrays.fill(text, r * L * DT, (r + 1) * L * DT, (float) (0.01 * (r + 1)));
        }
        return new TextBatch(manager.create(text, new Shape(B, L, DT)), manager.ones(new Shape(B, L)));
    }

    private TextBatch empty() {
        return new TextBatch(manager.zeros(new Shape(1, L, DT)), manager.ones(new Shape(1, L)));
    }

    /** The sampler's trajectory recomputed per row in doubles, with the mixture formula written out. */
    private static double[] reference(RoutingStrategy strategy, boolean[] available, SamplerConfig cfg, long[] ids,
                                      int[] truth) {
        int n = SPEC.numel();
        float[] noise = EnsembleSampler.noise(SPEC, cfg.seed(), ids);
        double[] out = new double[ids.length * n];
        for (int row = 0; row < ids.length; row++) {
            double[] x = new double[n];
            for (int j = 0; j < n; j++) {
                x[j] = noise[row * n + j];
            }
            for (int step = 0; step < cfg.steps(); step++) {
                double t = 1.0 - (double) step / cfg.steps();
                double mean = Arrays.stream(x).average().orElseThrow();
                double[] logits = new double[R.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < R.length; k++) {
                    logits[k] = R[k] * mean + Q[k] * t;
                    max = Math.max(max, logits[k]);
                }
                double[] p = new double[R.length];
                double z = 0;
                for (int k = 0; k < R.length; k++) {
                    p[k] = Math.exp(logits[k] - max);
                    z += p[k];
                }
                for (int k = 0; k < R.length; k++) {
                    p[k] /= z;
                }
                RoutingContext ctx = new RoutingContext(step, new long[] {ids[row]},
                        truth == null ? null : new int[] {truth[row]});
                double[] w = strategy.weights(new double[][] {p}, available, ctx)[0];
                double[] next = x.clone();
                for (int k = 0; k < R.length; k++) {
                    if (w[k] == 0) {
                        continue;
                    }
                    for (int j = 0; j < n; j++) {
                        // CFG: v(empty) + s (v(c) - v(empty)); the empty caption's text sum is 0.
                        double v = A[k] * x[j] + BT[k] * t + cfg.guidanceScale() * G[k] * textSum(row);
                        next[j] -= w[k] * v / cfg.steps();
                    }
                }
                x = next;
            }
            System.arraycopy(x, 0, out, row * n, n);
        }
        return out;
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4, "value " + i);
        }
    }

    private static final long[] IDS = {0, 1, 2, 3};
    private static final boolean[] ALL = {true, true, true};

    @Test
    void fullEnsembleEqualsTheRouterWeightedMixture() {
        SamplerConfig cfg = new SamplerConfig(SPEC, 4, 2.5, 11);
        List<StubModels.StubVelocity> s = stubs();
        StubModels.StubRouter router = new StubModels.StubRouter(R, Q);
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts(s), router, null), cfg);
        SamplingResult r = sampler.sample(manager, cond(), empty(), RoutingStrategy.full(), IDS, null);
        assertClose(reference(RoutingStrategy.full(), ALL, cfg, IDS, null), r.pixels());
        assertEquals(4, router.calls);
        // Every expert ran once per step on all rows, conditional and unconditional in one call.
        for (int k = 0; k < 3; k++) {
            assertEquals(4, s.get(k).calls);
            assertEquals(4 * 2 * B, r.expertRows()[k]);
        }
        assertEquals(3 * 2 * 4, r.expertForwardsPerImage(), 1e-12);
        assertEquals(3 * 4, r.usage().expertEvaluationsPerImage(), 1e-12);
    }

    @Test
    void zeroWeightExpertsAreNotCalledAndRowsAreScatteredBack() {
        SamplerConfig cfg = new SamplerConfig(SPEC, 3, 1.5, 5);
        List<StubModels.StubVelocity> s = stubs();
        // Top-1 over a router favouring expert 0 for large mean(x) and expert 1 otherwise; expert 2 rarely wins.
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts(s), new StubModels.StubRouter(R, Q), null), cfg);
        SamplingResult r = sampler.sample(manager, cond(), empty(), RoutingStrategy.top1(), IDS, null);
        assertClose(reference(RoutingStrategy.top1(), ALL, cfg, IDS, null), r.pixels());
        long evaluations = 0;
        long skipped = 0;
        for (int k = 0; k < 3; k++) {
            long stepsWithK = 0;
            for (var st : r.usage().steps()) {
                stepsWithK += st.rowsRun()[k] > 0 ? 1 : 0;
                evaluations += st.rowsRun()[k];
            }
            // An expert is called exactly at the steps where some row routed to it, never otherwise.
            assertEquals(stepsWithK, s.get(k).calls, "calls of expert " + k);
            skipped += 3 - stepsWithK;
        }
        assertEquals(B * 3, evaluations); // top-1: one expert per image and step
        assertTrue(skipped > 0, "the routing of this case leaves some expert idle at some step");
    }

    @Test
    void missingExpertIsDroppedAndTheOthersRenormalized() {
        SamplerConfig cfg = new SamplerConfig(SPEC, 3, 2.0, 3);
        List<Block> withGap = experts(stubs());
        withGap.set(0, null);
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(withGap, new StubModels.StubRouter(R, Q), null), cfg);
        SamplingResult r = sampler.sample(manager, cond(), empty(), RoutingStrategy.full(), IDS, null);
        boolean[] available = {false, true, true};
        assertClose(reference(RoutingStrategy.full(), available, cfg, IDS, null), r.pixels());
        assertEquals(0, r.expertCalls()[0]);
        for (var st : r.usage().steps()) {
            assertEquals(0, st.rowsRun()[0]);
            assertEquals(B, st.weightSum()[1] + st.weightSum()[2], 1e-9);
        }
    }

    @Test
    void oracleNeedsNoRouterAndMonolithUsesOnlyTheMonolith() {
        SamplerConfig cfg = new SamplerConfig(SPEC, 2, 1.0, 9);
        List<StubModels.StubVelocity> s = stubs();
        StubModels.StubRouter router = new StubModels.StubRouter(R, Q);
        StubModels.StubVelocity mono = new StubModels.StubVelocity(A[1], BT[1], G[1]);
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts(s), router, mono), cfg);
        int[] truth = {2, 0, 2, 1};
        SamplingResult oracle = sampler.sample(manager, cond(), null, RoutingStrategy.oracle(), IDS, truth);
        assertClose(reference(RoutingStrategy.oracle(), ALL, cfg, IDS, truth), oracle.pixels());
        assertEquals(0, router.calls);
        assertArrayEquals(new long[] {2, 2, 2}, oracle.expertCalls());
        assertArrayEquals(new long[] {2, 2, 4}, oracle.expertRows()); // guidance off: one row per image

        SamplingResult m = sampler.sample(manager, cond(), null, RoutingStrategy.monolith(), IDS, null);
        assertEquals(1, m.expertCalls().length);
        assertEquals(2, mono.calls);
        // The monolith equals expert 1's field here, so it matches oracle routing everything to expert 1.
        assertClose(reference(RoutingStrategy.oracle(), ALL, cfg, IDS, new int[] {1, 1, 1, 1}), m.pixels());
        assertThrows(IllegalStateException.class, () -> new EnsembleSampler(Ensemble.of(experts(s), null, null), cfg)
                .sample(manager, cond(), null, RoutingStrategy.top2(), IDS, null));
    }

    @Test
    void anImageDoesNotDependOnItsBatch() {
        SamplerConfig cfg = new SamplerConfig(SPEC, 3, 2.0, 21);
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts(stubs()), new StubModels.StubRouter(R, Q), null), cfg);
        RoutingStrategy s = RoutingStrategy.sampleK(2, 4);
        SamplingResult all = sampler.sample(manager, cond(), empty(), s, IDS, null);
        TextBatch c = cond();
        List<SamplingResult> parts = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            String rows = (2 * half) + ":" + (2 * half + 2);
            parts.add(sampler.sample(manager, new TextBatch(c.tokens().get(rows), c.mask().get(rows)), empty(), s,
                    new long[] {2 * half, 2 * half + 1}, null));
        }
        SamplingResult joined = SamplingResult.concat(parts);
        assertArrayEquals(all.pixels(), joined.pixels(), 1e-5f);
        assertEquals(all.usage().expertEvaluations(), joined.usage().expertEvaluations());
        assertEquals(B, joined.images().size());
    }
}
