package org.parisjava.reproduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.parisjava.eval.BootstrapInterval;
import org.parisjava.report.PaperNumbers;

/**
 * Whether a run reproduces the paper's ordering of strategies, decided from intervals rather than
 * point estimates: for every pair of strategies the paper ranks (Paris arXiv 2510.03434, DiT-B/2
 * FID: top-2 22.60 before the monolith 29.64, top-1 30.60 and the full ensemble 47.89), the run's
 * ordering of that pair is called reproduced only where the two intervals of the Frechet distance
 * do not overlap and the paper's better strategy has the lower one; reversed where they do not
 * overlap the other way; and not distinguishable where they overlap.
 *
 * <p>The intervals come either from several seeds ({@link SeedSweep}: a 95% t-interval of the mean
 * across seeds) or from one seed's bootstrap ({@link #ofBootstrap}: the evaluation's resampled
 * 95% intervals, {@link BootstrapInterval}). Lower is better.
 *
 * @param basis       what the intervals are, e.g. {@code 95% t-interval of the mean over 3 seeds}
 * @param intervals   the interval per strategy, in the order given
 * @param comparisons every pair the paper ranks, the paper's better strategy first
 * @param metric      the metric the intervals are of ({@code Frechet distance}, {@code KID x 1000}); lower is better
 */
public record ComparisonVerdict(String basis, Map<String, Interval> intervals, List<Comparison> comparisons,
                                String metric) {
    /** The metric of a verdict that names none. */
    public static final String FRECHET = "Frechet distance";


    /**
     * An interval of a metric where lower is better.
     *
     * @param estimate the point value (the mean over seeds, or the metric on the full sets)
     * @param lower    lower end
     * @param upper    upper end
     */
    public record Interval(double estimate, double lower, double upper) {
        public Interval {
            if (!(lower <= upper)) {
                throw new IllegalArgumentException("Invalid interval [" + lower + ", " + upper + "]");
            }
        }

        /** The bootstrap interval of one seed's evaluation. */
        public static Interval of(BootstrapInterval b) {
            return new Interval(b.estimate(), b.lower(), b.upper());
        }

        /** Whether the two intervals do not overlap (as {@link BootstrapInterval#separatedFrom}). */
        public boolean separatedFrom(Interval other) {
            return upper < other.lower || other.upper < lower;
        }

        public String format(int decimals) {
            String f = "%." + decimals + "f";
            if (Double.isInfinite(lower) || Double.isInfinite(upper)) {
                return String.format(Locale.ROOT, f + " (no interval)", estimate);
            }
            return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, lower, upper);
        }
    }

    /** What the intervals say about one pair. */
    public enum Outcome {
        REPRODUCED("reproduced"),
        REVERSED("reversed"),
        NOT_DISTINGUISHABLE("not distinguishable");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One pair: the paper ranks {@code better} before {@code worse}.
     *
     * @param outcome reproduced, reversed, or not distinguishable (the intervals overlap)
     */
    public record Comparison(String better, String worse, Outcome outcome) {
    }

    public ComparisonVerdict {
        Objects.requireNonNull(basis, "basis");
        intervals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
        comparisons = List.copyOf(comparisons);
        metric = metric == null ? FRECHET : metric;
    }

    /** A verdict on the Frechet distance. */
    public ComparisonVerdict(String basis, Map<String, Interval> intervals, List<Comparison> comparisons) {
        this(basis, intervals, comparisons, FRECHET);
    }

    /**
     * The verdict on the Frechet distance intervals of the strategies measured. Strategies the paper
     * does not rank (oracle...) are listed but not compared.
     */
    public static ComparisonVerdict of(Map<String, Interval> frechetDistance, String basis) {
        return of(frechetDistance, basis, FRECHET);
    }

    /** The verdict on the intervals of {@code metric} (lower is better), as {@link #of(Map, String)}. */
    public static ComparisonVerdict of(Map<String, Interval> frechetDistance, String basis, String metric) {
        List<String> paper = new ArrayList<>(PaperNumbers.PARIS_FID.keySet());
        paper.retainAll(frechetDistance.keySet());
        paper.sort(Comparator.comparingDouble(PaperNumbers.PARIS_FID::get));
        List<Comparison> pairs = new ArrayList<>();
        for (int i = 0; i < paper.size(); i++) {
            for (int j = i + 1; j < paper.size(); j++) {
                Interval a = frechetDistance.get(paper.get(i));
                Interval b = frechetDistance.get(paper.get(j));
                Outcome out = !a.separatedFrom(b) ? Outcome.NOT_DISTINGUISHABLE
                        : a.upper() < b.lower() ? Outcome.REPRODUCED : Outcome.REVERSED;
                pairs.add(new Comparison(paper.get(i), paper.get(j), out));
            }
        }
        return new ComparisonVerdict(basis, frechetDistance, pairs, metric);
    }

    /** The verdict from one seed's bootstrap intervals of the Frechet distance (or KID), per strategy. */
    public static ComparisonVerdict ofBootstrap(Map<String, BootstrapInterval> byStrategy) {
        Map<String, Interval> m = new LinkedHashMap<>();
        double level = BootstrapInterval.DEFAULT_LEVEL;
        for (var e : byStrategy.entrySet()) {
            m.put(e.getKey(), Interval.of(e.getValue()));
            level = e.getValue().level();
        }
        return of(m, String.format(Locale.ROOT, "%.0f%% bootstrap intervals of one seed", 100 * level));
    }

    /** Whether every ranked pair is reproduced (false when fewer than two ranked strategies were measured). */
    public boolean orderingReproduced() {
        return !comparisons.isEmpty() && comparisons.stream().allMatch(c -> c.outcome() == Outcome.REPRODUCED);
    }

    /** The outcome of the paper's headline claim, top-2 better than the monolith; null when not both measured. */
    public Outcome headline() {
        return comparisons.stream().filter(c -> c.better().equals("top-2") && c.worse().equals("monolith"))
                .map(Comparison::outcome).findFirst().orElse(null);
    }

    /** The pairs with the given outcome, as {@code a < b}. */
    public List<String> pairs(Outcome o) {
        return comparisons.stream().filter(c -> c.outcome() == o).map(c -> c.better() + " < " + c.worse()).toList();
    }

    /** One paragraph: which of the paper's pairwise orderings the intervals support. */
    public String statement() {
        StringBuilder sb = new StringBuilder();
        sb.append("Verdict from ").append(basis).append(" of the ").append(metric).append(" (an ordering counts only"
                + " where the intervals do not overlap): ");
        if (comparisons.isEmpty()) {
            return sb.append("fewer than two of the paper's strategies were measured, so there is nothing to decide.")
                    .toString();
        }
        for (Outcome o : Outcome.values()) {
            List<String> p = pairs(o);
            if (!p.isEmpty()) {
                sb.append(o.label()).append(" (paper's order, ").append(p.size()).append(" of ").append(comparisons.size())
                        .append("): ").append(String.join(", ", p)).append("; ");
            }
        }
        sb.setLength(sb.length() - 2);
        sb.append(". ");
        sb.append(orderingReproduced() ? "The paper's whole ordering is reproduced."
                : "The paper's whole ordering is not reproduced.");
        Outcome h = headline();
        if (h != null) {
            sb.append(" Headline claim, top-2 better than the monolith: ").append(h.label()).append('.');
        }
        return sb.toString();
    }

    /** The pairwise table in Markdown. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| paper's order | this run | verdict |\n|---|---|---|\n");
        for (Comparison c : comparisons) {
            sb.append("| ").append(c.better()).append(" < ").append(c.worse()).append(" | ")
                    .append(intervals.get(c.better()).format(2)).append(" vs ").append(intervals.get(c.worse()).format(2))
                    .append(" | ").append(c.outcome().label()).append(" |\n");
        }
        return sb.toString();
    }
}
