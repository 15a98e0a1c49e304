package org.parisjava.eval;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A metric with a percentile bootstrap confidence interval (Efron and Tibshirani 1993): both
 * feature sets are resampled with replacement {@code resamples} times, the metric recomputed on
 * each pair, and the interval is the {@code (1 - level)/2} and {@code (1 + level)/2} quantiles of
 * the resampled values. The estimate is the metric on the sets as given.
 *
 * @param estimate  the metric on the original sets
 * @param lower     lower end of the interval
 * @param upper     upper end of the interval
 * @param level     the coverage, e.g. 0.95
 * @param resamples how many resamples made the interval
 */
public record BootstrapInterval(double estimate, double lower, double upper, double level, int resamples) {
    /** Coverage of the intervals the project reports. */
    public static final double DEFAULT_LEVEL = 0.95;
    /** Resamples per interval: enough for stable 2.5% and 97.5% quantiles at these sizes. */
    public static final int DEFAULT_RESAMPLES = 200;

    public BootstrapInterval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("Invalid interval [" + lower + ", " + upper + "]");
        }
    }

    /** A metric of two sets given as row indices (indices may repeat in a resample). */
    @FunctionalInterface
    public interface IndexMetric {
        double apply(int[] first, int[] second);
    }

    /**
     * The interval of {@code metric(real, generated)}, resampling rows with replacement.
     *
     * @param metric a function of (real rows, generated rows), e.g. {@code FrechetDistance::between}
     * @param seed   the resampling seed: the same seed gives the same interval
     */
    public static BootstrapInterval of(float[][] real, float[][] generated, BiFunction<float[][], float[][], Double> metric,
                                       int resamples, double level, long seed) {
        return ofIndices(real.length, generated.length,
                (a, b) -> metric.apply(rows(real, a), rows(generated, b)), resamples, level, seed);
    }

    /**
     * The interval of a metric of two sets of {@code n1} and {@code n2} rows, given by indices:
     * the estimate uses every row once, each resample draws {@code n1} and {@code n2} indices with
     * replacement.
     */
    public static BootstrapInterval ofIndices(int n1, int n2, IndexMetric metric, int resamples, double level, long seed) {
        if (resamples < 2) {
            throw new IllegalArgumentException("Invalid number of bootstrap resamples: " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Invalid confidence level: " + level + " (expected in (0, 1))");
        }
        double estimate = metric.apply(identity(n1), identity(n2));
        Random rng = new Random(seed);
        double[] values = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            values[b] = metric.apply(draw(n1, rng), draw(n2, rng));
        }
        Arrays.sort(values);
        return new BootstrapInterval(estimate, quantile(values, (1 - level) / 2), quantile(values, (1 + level) / 2),
                level, resamples);
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] draw(int n, Random rng) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = rng.nextInt(n);
        }
        return r;
    }

    private static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    /** Whether the two intervals do not overlap: only then is an ordering reported as such. */
    public boolean separatedFrom(BootstrapInterval other) {
        return upper < other.lower || other.upper < lower;
    }

    /** {@code 12.3 [10.1, 14.8]} with the given number of decimals. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(java.util.Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, lower, upper);
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
