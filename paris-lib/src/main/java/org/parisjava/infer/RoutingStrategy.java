package org.parisjava.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the ensemble turns the router's probabilities p(k | x_t, t) into mixing weights, as a value:
 * {@code RoutingStrategy.topK(2)}, {@code full()}, {@code oracle()}... A strategy is a pure function
 * from the router probabilities (B, K) and an availability mask (K) to weights (B, K); every row of
 * the result sums to 1 and is zero on unavailable experts (docs/design.md, section 2: a missing expert is
 * dropped and the rest renormalized). Logging the missing expert is the sampler's job, once per run.
 *
 * <p>Letters: B rows of the batch, K experts.
 */
public sealed interface RoutingStrategy {

    /** One model trained on all the data: the single "expert" gets weight 1; needs no router. */
    static RoutingStrategy monolith() {
        return new Monolith();
    }

    /** DDM's best: the router's argmax. */
    static RoutingStrategy top1() {
        return new TopK(1);
    }

    /** Paris's best: the two most likely experts, weights renormalized over the two. */
    static RoutingStrategy top2() {
        return new TopK(2);
    }

    static RoutingStrategy topK(int k) {
        return new TopK(k);
    }

    /** Every available expert, weighted by the router (the exact mixture of docs/design.md, section 1). */
    static RoutingStrategy full() {
        return new Full();
    }

    /** The prompt's true cluster (for evaluation): needs {@link RoutingContext#trueClusters()}, no router. */
    static RoutingStrategy oracle() {
        return new Oracle();
    }

    /** k distinct experts drawn from the router's distribution (seeded per image and step), renormalized. */
    static RoutingStrategy sampleK(int k, long seed) {
        return new SampleK(k, seed);
    }

    /** Experts with p >= tau (at least the argmax), renormalized. */
    static RoutingStrategy threshold(double tau) {
        return new Threshold(tau);
    }

    /** The strategies of the paper's comparison table, in its order. */
    static List<RoutingStrategy> paperComparison() {
        return List.of(monolith(), top1(), top2(), full(), oracle());
    }

    /**
     * Parses the names {@link #name()} prints: {@code monolith, top-1, top-2, top-K, full, oracle,
     * sample-K (seed 0), sample-K@SEED, threshold-TAU}.
     */
    static RoutingStrategy parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("monolith")) {
                return monolith();
            } else if (s.equals("full")) {
                return full();
            } else if (s.equals("oracle")) {
                return oracle();
            } else if (s.startsWith("top-")) {
                return topK(Integer.parseInt(s.substring(4)));
            } else if (s.startsWith("sample-")) {
                String rest = s.substring(7);
                int at = rest.indexOf('@');
                return at < 0 ? sampleK(Integer.parseInt(rest), 0L)
                        : sampleK(Integer.parseInt(rest.substring(0, at)), Long.parseLong(rest.substring(at + 1)));
            } else if (s.startsWith("threshold-")) {
                return threshold(Double.parseDouble(s.substring(10)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid routing strategy '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Unknown routing strategy '" + text
                + "'; known: monolith, top-K, full, oracle, sample-K[@SEED], threshold-TAU");
    }

    /** A short stable name, used in tables, file names and {@link #parse(String)}. */
    String name();

    /** Whether the router must run at each sampling step. */
    default boolean needsRouter() {
        return true;
    }

    /** Whether rows need their true cluster in the {@link RoutingContext}. */
    default boolean needsTrueCluster() {
        return false;
    }

    /** Whether this strategy samples one model trained on everything rather than the experts. */
    default boolean usesMonolith() {
        return false;
    }

    /**
     * Mixing weights (B, K).
     *
     * @param probs     router probabilities (B, K), rows summing to 1; may be null when
     *                  {@link #needsRouter()} is false
     * @param available which experts can run (K); at least one must
     * @param context   step, row ids and (for the oracle) true clusters
     */
    double[][] weights(double[][] probs, boolean[] available, RoutingContext context);

    // ---------------------------------------------------------------- strategies

    record Monolith() implements RoutingStrategy {
        @Override
        public String name() {
            return "monolith";
        }

        @Override
        public boolean needsRouter() {
            return false;
        }

        @Override
        public boolean usesMonolith() {
            return true;
        }

        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            if (available.length != 1 || !available[0]) {
                throw new IllegalArgumentException("The monolith strategy needs exactly one available model, got "
                        + available.length);
            }
            double[][] w = new double[context.batch()][1];
            for (double[] row : w) {
                row[0] = 1.0;
            }
            return w;
        }
    }

    record TopK(int k) implements RoutingStrategy {
        public TopK {
            if (k < 1) {
                throw new IllegalArgumentException("Invalid top-k: k = " + k + " (must be >= 1)");
            }
        }

        @Override
        public String name() {
            return "top-" + k;
        }

        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            double[][] p = masked(probs, available, context);
            for (double[] row : p) {
                keepOnly(row, largest(row, k));
            }
            return p;
        }
    }

    record Full() implements RoutingStrategy {
        @Override
        public String name() {
            return "full";
        }

        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            return masked(probs, available, context);
        }
    }

    record Oracle() implements RoutingStrategy {
        @Override
        public String name() {
            return "oracle";
        }

        @Override
        public boolean needsRouter() {
            return false;
        }

        @Override
        public boolean needsTrueCluster() {
            return true;
        }

        /**
         * One-hot on the true cluster. If that expert is missing the row falls back to the router
         * (renormalized over the available experts) or, without a router, to a uniform mixture.
         */
        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            if (!context.hasTrueClusters()) {
                throw new IllegalArgumentException("The oracle strategy needs the true cluster of every row");
            }
            int k = available.length;
            double[][] w = new double[context.batch()][];
            double[][] fallback = null;
            for (int b = 0; b < w.length; b++) {
                int c = context.trueCluster(b);
                if (c < 0 || c >= k) {
                    throw new IllegalArgumentException("True cluster " + c + " of row " + b + " is outside 0.." + (k - 1));
                }
                if (available[c]) {
                    w[b] = new double[k];
                    w[b][c] = 1.0;
                } else {
                    if (fallback == null) {
                        fallback = masked(probs, available, context);
                    }
                    w[b] = fallback[b];
                }
            }
            return w;
        }
    }

    record SampleK(int k, long seed) implements RoutingStrategy {
        public SampleK {
            if (k < 1) {
                throw new IllegalArgumentException("Invalid sample-k: k = " + k + " (must be >= 1)");
            }
        }

        @Override
        public String name() {
            return "sample-" + k + (seed == 0 ? "" : "@" + seed);
        }

        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            double[][] p = masked(probs, available, context);
            for (int b = 0; b < p.length; b++) {
                // The stream depends on (seed, image, step) only, not on the batch an image lands in.
                long mix = seed * 0x9E3779B97F4A7C15L + context.sampleId(b) * 0xBF58476D1CE4E5B9L + context.step();
                SplittableRandom rnd = new SplittableRandom(mix);
                double[] row = p[b];
                double[] left = row.clone();
                boolean[] keep = new boolean[row.length];
                int draws = Math.min(k, positives(row));
                for (int d = 0; d < draws; d++) {
                    int j = draw(left, rnd);
                    keep[j] = true;
                    left[j] = 0.0;
                }
                keepOnly(row, keep);
            }
            return p;
        }

        private static int draw(double[] weights, SplittableRandom rnd) {
            double total = 0;
            for (double v : weights) {
                total += v;
            }
            double u = rnd.nextDouble() * total;
            int last = -1;
            for (int j = 0; j < weights.length; j++) {
                if (weights[j] > 0) {
                    last = j;
                    u -= weights[j];
                    if (u < 0) {
                        return j;
                    }
                }
            }
            return last;
        }
    }

    record Threshold(double tau) implements RoutingStrategy {
        public Threshold {
            if (!(tau >= 0 && tau <= 1)) {
                throw new IllegalArgumentException("Invalid threshold tau = " + tau + " (must be in [0, 1])");
            }
        }

        @Override
        public String name() {
            return "threshold-" + tau;
        }

        @Override
        public double[][] weights(double[][] probs, boolean[] available, RoutingContext context) {
            double[][] p = masked(probs, available, context);
            for (double[] row : p) {
                boolean[] keep = largest(row, 1);
                for (int j = 0; j < row.length; j++) {
                    keep[j] |= row[j] > 0 && row[j] >= tau;
                }
                keepOnly(row, keep);
            }
            return p;
        }
    }

    // ---------------------------------------------------------------- shared arithmetic

    /** Router probabilities with unavailable experts zeroed and rows renormalized (uniform if a row is all zero). */
    private static double[][] masked(double[][] probs, boolean[] available, RoutingContext context) {
        int k = available.length;
        List<Integer> up = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (available[j]) {
                up.add(j);
            }
        }
        if (up.isEmpty()) {
            throw new IllegalStateException("No expert is available: all " + k + " are missing");
        }
        int batch = context.batch();
        double[][] w = new double[batch][k];
        if (probs != null && probs.length != batch) {
            throw new IllegalArgumentException("Router probabilities have " + probs.length + " rows, the batch has "
                    + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (probs != null) {
                if (probs[b].length != k) {
                    throw new IllegalArgumentException("Router probabilities of row " + b + " have " + probs[b].length
                            + " experts, availability mask has " + k);
                }
                for (int j : up) {
                    double v = probs[b][j];
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        throw new IllegalArgumentException("Invalid router probability " + v + " at row " + b
                                + ", expert " + j);
                    }
                    w[b][j] = v;
                }
            }
            normalizeOrUniform(w[b], up);
        }
        return w;
    }

    private static void normalizeOrUniform(double[] row, List<Integer> up) {
        double sum = 0;
        for (int j : up) {
            sum += row[j];
        }
        for (int j : up) {
            row[j] = sum > 0 ? row[j] / sum : 1.0 / up.size();
        }
    }

    /** The k largest positive entries (ties to the lower index), at least one entry if any is positive. */
    private static boolean[] largest(double[] row, int k) {
        boolean[] keep = new boolean[row.length];
        for (int n = 0; n < k; n++) {
            int best = -1;
            for (int j = 0; j < row.length; j++) {
                if (!keep[j] && row[j] > 0 && (best < 0 || row[j] > row[best])) {
                    best = j;
                }
            }
            if (best < 0) {
                break;
            }
            keep[best] = true;
        }
        return keep;
    }

    private static int positives(double[] row) {
        int n = 0;
        for (double v : row) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }

    /** Zeroes the entries not kept and renormalizes the kept ones to sum 1. */
    private static void keepOnly(double[] row, boolean[] keep) {
        double sum = 0;
        for (int j = 0; j < row.length; j++) {
            if (!keep[j]) {
                row[j] = 0;
            }
            sum += row[j];
        }
        for (int j = 0; j < row.length; j++) {
            row[j] /= sum;
        }
    }
}
