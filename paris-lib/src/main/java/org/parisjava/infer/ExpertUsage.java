package org.parisjava.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Which experts ran at each sampling step, and with what weight (figure 5 of docs/design.md, section 4).
 * Step 0 is the first step, at t = 1. Built by a {@link Recorder} that the sampler feeds batch by
 * batch; the record itself is immutable and JSON-friendly.
 *
 * @param experts K
 * @param images  images sampled
 * @param steps   one entry per sampling step, in order
 */
public record ExpertUsage(int experts, long images, List<Step> steps) {
    public ExpertUsage {
        steps = List.copyOf(steps);
    }

    /**
     * @param step      index, 0 at t = 1
     * @param t         the time at which the experts were evaluated
     * @param rowsRun   per expert, how many images it ran on (nonzero weight)
     * @param weightSum per expert, the sum of its mixing weights over all images
     */
    public record Step(int step, double t, long[] rowsRun, double[] weightSum) {
        /** Fraction of images on which expert k ran. */
        public double fractionRun(int k, long images) {
            return images == 0 ? 0 : (double) rowsRun[k] / images;
        }

        /** Mean mixing weight of expert k over all images (0 where it did not run). */
        public double meanWeight(int k, long images) {
            return images == 0 ? 0 : weightSum[k] / images;
        }

        public long evaluations() {
            long n = 0;
            for (long r : rowsRun) {
                n += r;
            }
            return n;
        }
    }

    /** Expert evaluations of one image at one step, summed over steps and experts (CFG not counted). */
    public long expertEvaluations() {
        long n = 0;
        for (Step s : steps) {
            n += s.evaluations();
        }
        return n;
    }

    /** Mean number of expert evaluations per image over the whole trajectory (CFG not counted). */
    public double expertEvaluationsPerImage() {
        return images == 0 ? 0 : (double) expertEvaluations() / images;
    }

    /** Mean number of experts active per image and step. */
    public double meanActiveExperts() {
        return steps.isEmpty() ? 0 : expertEvaluationsPerImage() / steps.size();
    }

    /** step,t,expert,fraction_run,mean_weight: one row per step and expert, for the usage figure. */
    public String toCsv() {
        StringBuilder b = new StringBuilder("step,t,expert,fraction_run,mean_weight\n");
        for (Step s : steps) {
            for (int k = 0; k < experts; k++) {
                b.append(String.format(java.util.Locale.ROOT, "%d,%.4f,%d,%.6f,%.6f%n", s.step(), s.t(), k,
                        s.fractionRun(k, images), s.meanWeight(k, images)));
            }
        }
        return b.toString();
    }

    /** Accumulates usage over batches; not thread-safe. */
    public static final class Recorder {
        private final int experts;
        private final List<double[]> ts = new ArrayList<>();
        private final List<long[]> rows = new ArrayList<>();
        private final List<double[]> weights = new ArrayList<>();
        private long images;

        public Recorder(int experts, int steps) {
            if (experts < 1) {
                throw new IllegalArgumentException("Invalid number of experts: " + experts);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("Invalid number of sampling steps: " + steps);
            }
            this.experts = experts;
            for (int s = 0; s < steps; s++) {
                ts.add(new double[] {Double.NaN});
                rows.add(new long[experts]);
                weights.add(new double[experts]);
            }
        }

        /** Records the weights (B, K) used at a step; call once per step per batch. */
        public void record(int step, double t, double[][] w) {
            if (step < 0 || step >= rows.size()) {
                throw new IllegalArgumentException("Step " + step + " is outside 0.." + (rows.size() - 1));
            }
            ts.get(step)[0] = t;
            long[] r = rows.get(step);
            double[] s = weights.get(step);
            for (int b = 0; b < w.length; b++) {
                if (w[b].length != experts) {
                    throw new IllegalArgumentException("Weights of row " + b + " have " + w[b].length
                            + " experts, expected " + experts);
                }
                for (int k = 0; k < experts; k++) {
                    if (w[b][k] != 0) {
                        r[k]++;
                        s[k] += w[b][k];
                    }
                }
            }
        }

        /** Counts images once per batch (not per step). */
        public void addImages(long n) {
            images += n;
        }

        public ExpertUsage build() {
            List<Step> out = new ArrayList<>();
            for (int s = 0; s < rows.size(); s++) {
                out.add(new Step(s, ts.get(s)[0], rows.get(s).clone(), weights.get(s).clone()));
            }
            return new ExpertUsage(experts, images, out);
        }
    }
}
