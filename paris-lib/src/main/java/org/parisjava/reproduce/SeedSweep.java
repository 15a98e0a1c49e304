package org.parisjava.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.parisjava.io.AtomicFiles;
import org.parisjava.report.ResultsTable;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.viz.ChartFiles;
import smile.stat.distribution.TDistribution;

/**
 * The whole comparison for several seeds into one folder: {@code ROOT/seed-42}, {@code ROOT/seed-43}...
 * each a complete, resumable {@link Reproduction} run, then the strategies' mean and spread across
 * seeds ({@code ROOT/seeds.md}, {@code seeds.csv}) and a verdict that calls an ordering of the paper
 * reproduced only where the across-seed intervals separate ({@link ComparisonVerdict},
 * {@code ROOT/SUMMARY.md}).
 *
 * <p>The interval of a strategy is the 95% Student-t interval of its mean Frechet distance over the
 * n seeds, {@code mean +- t(0.975, n - 1) sd / sqrt(n)}, sd the sample standard deviation (n - 1):
 * what another draw of n seeds would give, at the cost of wide intervals for n = 3 (t = 4.30). One
 * seed has no interval (unbounded), so with one seed every pair is "not distinguishable".
 */
public final class SeedSweep {
    /** The combined verdict, in the sweep's root. */
    public static final String SUMMARY = "SUMMARY.md";
    public static final String TABLE_MD = "seeds.md";
    public static final String TABLE_CSV = "seeds.csv";
    /** Coverage of the across-seed intervals. */
    public static final double LEVEL = 0.95;

    /** The three metrics a sweep aggregates, each drawn as a figure of means with intervals. */
    public enum Metric {
        FRECHET_DISTANCE("fig4-seeds-frechet.png", "Frechet distance (lower is better)"),
        KID("fig4-seeds-kid.png", KID_METRIC + " (lower is better)"),
        ADHERENCE("fig4-seeds-adherence.png", "prompt adherence (higher is better)");

        private final String file;
        private final String label;

        Metric(String file, String label) {
            this.file = file;
            this.label = label;
        }

        /** The figure's file name in the sweep's folder. */
        public String file() {
            return file;
        }

        /** The y axis: the metric and which way is better. */
        public String label() {
            return label;
        }
    }

    private SeedSweep() {
    }

    /**
     * One strategy over the seeds.
     *
     * @param strategy        the strategy's name
     * @param frechetDistance its Frechet distance per seed, in the order of the seeds
     * @param adherence       its prompt adherence per seed
     * @param mean            mean Frechet distance
     * @param sd              sample standard deviation of the Frechet distance (0 for one seed)
     * @param interval        95% t-interval of the mean (collapses to the mean for one seed)
     * @param adherenceMean   mean adherence
     * @param adherenceSd     its sample standard deviation
     * @param kid             KID x 1000 per seed (NaN where a seed's results predate KID)
     * @param kidMean         mean KID x 1000
     * @param kidSd           its sample standard deviation
     * @param kidInterval     95% t-interval of the mean KID x 1000
     * @param adherenceInterval 95% t-interval of the mean adherence (NaN bounds where adherence is not measured)
     */
    public record StrategyStats(String strategy, double[] frechetDistance, double[] adherence, double mean, double sd,
                                ComparisonVerdict.Interval interval, double adherenceMean, double adherenceSd,
                                double[] kid, double kidMean, double kidSd, ComparisonVerdict.Interval kidInterval,
                                ComparisonVerdict.Interval adherenceInterval) {

        /** The mean over the seeds of {@code m} (NaN where it was not measured). */
        public double mean(Metric m) {
            return switch (m) {
                case FRECHET_DISTANCE -> mean;
                case KID -> kidMean;
                case ADHERENCE -> adherenceMean;
            };
        }

        /** The 95% t-interval of that mean. */
        public ComparisonVerdict.Interval interval(Metric m) {
            return switch (m) {
                case FRECHET_DISTANCE -> interval;
                case KID -> kidInterval;
                case ADHERENCE -> adherenceInterval;
            };
        }
    }

    /**
     * A routed strategy sampled with the text-blind and with the text-aware router ({@code --router both}).
     *
     * @param strategy the routed strategy (top-2...)
     * @param blindFd  its Frechet distance interval with the text-blind router
     * @param awareFd  with the text-aware router
     * @param fd       which router the Frechet distance intervals favour
     * @param blindKid its KID x 1000 interval with the text-blind router
     * @param awareKid with the text-aware router
     * @param kid      which router the KID intervals favour
     * @param blindAdherence adherence interval with the text-blind router
     * @param awareAdherence with the text-aware router
     * @param adherence      which router the adherence intervals favour (higher is better), or null when
     *                       adherence is not measured
     */
    public record RouterComparison(String strategy, ComparisonVerdict.Interval blindFd,
                                   ComparisonVerdict.Interval awareFd, String fd, ComparisonVerdict.Interval blindKid,
                                   ComparisonVerdict.Interval awareKid, String kid,
                                   ComparisonVerdict.Interval blindAdherence, ComparisonVerdict.Interval awareAdherence,
                                   String adherence) {
    }

    /** KID is stored as a fraction; tables print it x 1000, as results.md does. */
    static final double KID_SCALE = 1000;
    /** The metric name of the KID verdict. */
    public static final String KID_METRIC = "KID x 1000";

    /**
     * Mean and spread per strategy over the seeds, and the verdicts they support.
     *
     * @param seeds      the seeds, in order
     * @param rows       one row per strategy, in the first seed's order
     * @param verdict    the verdict from the across-seed intervals of the Frechet distance
     * @param kidVerdict the same from the intervals of KID (null when a seed has no KID)
     * @param routers    the routed strategies with both routers (empty unless the runs were made with
     *                   {@code --router both})
     */
    public record Aggregate(List<Long> seeds, List<StrategyStats> rows, ComparisonVerdict verdict,
                            ComparisonVerdict kidVerdict, List<RouterComparison> routers) {

        /** Whether every strategy has {@code m} in every seed (KID and adherence may be missing). */
        public boolean measured(Metric m) {
            return rows.stream().allMatch(r -> Double.isFinite(r.mean(m)));
        }

        public String toMarkdown() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "| strategy | Frechet distance, mean +- sd | %.0f%% interval of the mean | per seed (%s) "
                            + "| KID x 1000, mean +- sd | %.0f%% interval of the mean | adherence, mean +- sd |%n"
                            + "|---|---:|---:|---|---:|---:|---:|%n", 100 * LEVEL,
                    String.join(", ", seeds.stream().map(String::valueOf).toList()), 100 * LEVEL));
            for (StrategyStats r : rows) {
                List<String> per = new ArrayList<>();
                for (double v : r.frechetDistance()) {
                    per.add(String.format(Locale.ROOT, "%.2f", v));
                }
                sb.append(String.format(Locale.ROOT, "| %s | %.2f +- %.2f | %s | %s | %s | %s | %s |%n",
                        r.strategy(), r.mean(), r.sd(), interval(r.interval()), String.join(", ", per),
                        Double.isNaN(r.kidMean()) ? "" : String.format(Locale.ROOT, "%.2f +- %.2f", r.kidMean(),
                                r.kidSd()),
                        Double.isNaN(r.kidMean()) ? "" : interval(r.kidInterval()),
                        Double.isNaN(r.adherenceMean()) ? "not measured"
                                : String.format(Locale.ROOT, "%.3f +- %.3f", r.adherenceMean(), r.adherenceSd())));
            }
            return sb.toString();
        }

        /** The routed strategies with each router, or the empty string without a text-aware router. */
        public String routersMarkdown() {
            if (routers.isEmpty()) {
                return "";
            }
            StringBuilder sb = new StringBuilder("| strategy | Frechet distance: text-blind router | text-aware router"
                    + " | favours | KID x 1000: text-blind | text-aware | favours | adherence: text-blind | text-aware"
                    + " | favours |\n|---|---:|---:|---|---:|---:|---|---:|---:|---|\n");
            for (RouterComparison c : routers) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        c.strategy(), c.blindFd().format(2), c.awareFd().format(2), c.fd(),
                        c.blindKid() == null ? "" : c.blindKid().format(2),
                        c.awareKid() == null ? "" : c.awareKid().format(2), c.kid() == null ? "" : c.kid(),
                        c.adherence() == null ? "not measured" : c.blindAdherence().format(3),
                        c.adherence() == null ? "" : c.awareAdherence().format(3),
                        c.adherence() == null ? "" : c.adherence()));
            }
            return sb.toString();
        }

        public String toCsv() {
            StringBuilder sb = new StringBuilder("strategy,seeds,frechet_mean,frechet_sd,frechet_lower,frechet_upper,"
                    + "kid1000_mean,kid1000_sd,kid1000_lower,kid1000_upper,adherence_mean,adherence_sd\n");
            for (StrategyStats r : rows) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n",
                        r.strategy(), r.frechetDistance().length, r.mean(), r.sd(), r.interval().lower(),
                        r.interval().upper(), r.kidMean(), r.kidSd(), r.kidInterval().lower(), r.kidInterval().upper(),
                        r.adherenceMean(), r.adherenceSd()));
            }
            return sb.toString();
        }

        private static String interval(ComparisonVerdict.Interval iv) {
            return Double.isInfinite(iv.upper()) ? "none (one seed)"
                    : String.format(Locale.ROOT, "[%.2f, %.2f]", iv.lower(), iv.upper());
        }
    }

    /** The outcome: each seed's run and the aggregate. */
    public record Result(Path root, List<Reproduction.Result> runs, Aggregate aggregate) {
    }

    /** {@code n} consecutive seeds from {@code first}. */
    public static List<Long> seeds(long first, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Invalid number of seeds: " + n + " (at least 1)");
        }
        List<Long> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(first + i);
        }
        return List.copyOf(s);
    }

    /** The run folder of one seed under the sweep's root. */
    public static RunLayout seedRun(Path root, long seed) {
        return new RunLayout(root.resolve("seed-" + seed));
    }

    /**
     * Runs (or resumes) the reproduction of {@code o} for seeds {@code o.seed()}, {@code o.seed() + 1}...
     * ({@code n} in all), each in {@code root/seed-S}, then writes seeds.md, seeds.csv and SUMMARY.md
     * in {@code root}. Every run is validated before the first one starts.
     */
    public static Result run(Path root, Reproduction.Options o, int n, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<Long> seeds = seeds(o.seed(), n);
        for (long s : seeds) {
            Reproduction.validate(seedRun(root, s), withSeed(o, s));
        }
        List<Reproduction.Result> runs = new ArrayList<>();
        Map<Long, ResultsTable> tables = new LinkedHashMap<>();
        for (long s : seeds) {
            Reproduction.Result r = Reproduction.run(seedRun(root, s), withSeed(o, s), listener);
            runs.add(r);
            tables.put(s, r.summary().table());
        }
        Aggregate a = aggregate(tables);
        AtomicFiles.writeString(root.resolve(TABLE_MD), a.toMarkdown());
        AtomicFiles.writeString(root.resolve(TABLE_CSV), a.toCsv());
        AtomicFiles.writeString(root.resolve(SUMMARY), summaryMarkdown(o, a));
        for (Metric m : Metric.values()) { // a metric no seed measured gets no figure (and loses an old one)
            if (a.measured(m)) {
                ChartFiles.writePng(Figures.seedIntervalsChart(a, m), root.resolve(m.file()));
            } else {
                try {
                    Files.deleteIfExists(root.resolve(m.file()));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot remove the stale " + root.resolve(m.file()), e);
                }
            }
        }
        return new Result(root, List.copyOf(runs), a);
    }

    /** The same options with another seed (which seeds the data, every model and the sampling noise). */
    public static Reproduction.Options withSeed(Reproduction.Options o, long seed) {
        return new Reproduction.Options(o.preset(), seed, o.dataset(), o.features(), o.evalImages(), o.strategies(),
                o.experts(), o.text(), o.latent(), o.evalFeatures(), o.router(), o.clip());
    }

    /**
     * Mean, spread and 95% t-interval per strategy over the seeds' result tables, and the verdict.
     * A strategy must have been measured (a Frechet distance that is not NaN) in every seed.
     *
     * @throws IllegalArgumentException for no table, or a strategy missing or unmeasured in a seed
     */
    public static Aggregate aggregate(Map<Long, ResultsTable> bySeed) {
        if (bySeed.isEmpty()) {
            throw new IllegalArgumentException("No seed to aggregate");
        }
        List<Long> seeds = List.copyOf(bySeed.keySet());
        int n = seeds.size();
        List<String> strategies = bySeed.get(seeds.get(0)).rows().stream().map(ResultsTable.Row::strategy).toList();
        double t = n > 1 ? new TDistribution(n - 1).quantile((1 + LEVEL) / 2) : 0;
        List<StrategyStats> rows = new ArrayList<>();
        Map<String, ComparisonVerdict.Interval> intervals = new LinkedHashMap<>();
        Map<String, ComparisonVerdict.Interval> kidIntervals = new LinkedHashMap<>();
        boolean kidEverywhere = true;
        for (String s : strategies) {
            double[] fd = new double[n];
            double[] ad = new double[n];
            double[] kid = new double[n];
            for (int i = 0; i < n; i++) {
                long seed = seeds.get(i);
                ResultsTable.Row r = bySeed.get(seed).rows().stream().filter(x -> x.strategy().equals(s)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Seed " + seed + " has no result for strategy '"
                                + s + "'"));
                if (Double.isNaN(r.frechetDistance())) {
                    throw new IllegalArgumentException("Seed " + seed + " did not measure strategy '" + s + "'");
                }
                fd[i] = r.frechetDistance();
                ad[i] = r.adherence();
                kid[i] = r.kid() == null ? Double.NaN : KID_SCALE * r.kid().estimate();
            }
            ComparisonVerdict.Interval iv = tInterval(fd, t);
            ComparisonVerdict.Interval kiv = tInterval(kid, t);
            double am = mean(ad);
            double km = mean(kid);
            rows.add(new StrategyStats(s, fd, ad, iv.estimate(), sd(fd, iv.estimate()), iv, am, sd(ad, am), kid, km,
                    sd(kid, km), kiv, tInterval(ad, t)));
            intervals.put(s, iv);
            kidIntervals.put(s, kiv);
            kidEverywhere &= !Double.isNaN(km);
        }
        String basis = n > 1 ? String.format(Locale.ROOT, "%.0f%% t-intervals of the mean over %d seeds", 100 * LEVEL, n)
                : "one seed, so no interval (no ordering can be called reproduced)";
        List<RouterComparison> routers = new ArrayList<>();
        boolean withKid = kidEverywhere;
        for (StrategyStats blind : rows) {
            String awareName = blind.strategy() + Figures.TEXT_AWARE_SUFFIX;
            rows.stream().filter(r -> r.strategy().equals(awareName)).findFirst().ifPresent(aware -> routers.add(
                    new RouterComparison(blind.strategy(), blind.interval(), aware.interval(),
                            favours(blind.interval(), aware.interval()), withKid ? blind.kidInterval() : null,
                            withKid ? aware.kidInterval() : null,
                            withKid ? favours(blind.kidInterval(), aware.kidInterval()) : null,
                            blind.adherenceInterval(), aware.adherenceInterval(),
                            Double.isNaN(blind.adherenceMean()) || Double.isNaN(aware.adherenceMean()) ? null
                                    : favoursHigher(blind.adherenceInterval(), aware.adherenceInterval()))));
        }
        return new Aggregate(seeds, List.copyOf(rows), ComparisonVerdict.of(intervals, basis),
                kidEverywhere ? ComparisonVerdict.of(kidIntervals, basis, KID_METRIC) : null, List.copyOf(routers));
    }

    /** Which router a lower-is-better metric favours: only where the intervals do not overlap. */
    static String favours(ComparisonVerdict.Interval blind, ComparisonVerdict.Interval aware) {
        if (!blind.separatedFrom(aware)) {
            return "not distinguishable";
        }
        return aware.upper() < blind.lower() ? "text-aware" : "text-blind";
    }

    /** Which router a higher-is-better metric (adherence) favours: only where the intervals do not overlap. */
    static String favoursHigher(ComparisonVerdict.Interval blind, ComparisonVerdict.Interval aware) {
        if (!blind.separatedFrom(aware)) {
            return "not distinguishable";
        }
        return aware.lower() > blind.upper() ? "text-aware" : "text-blind";
    }

    /** Mean with its t-interval ({@code t} 0: one value, an unbounded interval); NaN values give a NaN interval. */
    private static ComparisonVerdict.Interval tInterval(double[] v, double t) {
        double mean = mean(v);
        if (Double.isNaN(mean)) {
            return new ComparisonVerdict.Interval(Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        // one seed has no interval: unbounded, so it never separates from another strategy
        double half = v.length > 1 ? t * sd(v, mean) / Math.sqrt(v.length) : Double.POSITIVE_INFINITY;
        return new ComparisonVerdict.Interval(mean, mean - half, mean + half);
    }

    static String summaryMarkdown(Reproduction.Options o, Aggregate a) {
        StringBuilder sb = new StringBuilder();
        // the runs' router, not the request's: a text-blind request on runs made with both routers shows both
        String router = a.routers().isEmpty() ? o.router() : Reproduction.Options.BOTH;
        sb.append(String.format(Locale.ROOT, "# Reproduction over %d seeds: preset %s, router %s%n%n", a.seeds().size(),
                o.preset().name(), router));
        sb.append("Seeds ").append(String.join(", ", a.seeds().stream().map(String::valueOf).toList()))
                .append(", each a complete run in `seed-S/` (its own SUMMARY.md under `seed-S/figures/`). Dataset `")
                .append(o.datasetSpec()).append("`, ").append(o.evalImages()).append(" images per strategy.\n\n");
        sb.append(a.toMarkdown()).append('\n');
        sb.append(a.verdict().toMarkdown()).append('\n');
        sb.append(a.verdict().statement()).append("\n\n");
        if (a.kidVerdict() != null) {
            sb.append(a.kidVerdict().toMarkdown()).append('\n');
            sb.append(a.kidVerdict().statement()).append("\n\n");
        }
        if (!a.routers().isEmpty()) {
            sb.append("## The text-aware router against the text-blind one\n\n");
            sb.append("The same experts, prompts and seeds; only the router differs (`--router both`). A router is"
                    + " favoured only where the intervals do not overlap.\n\n");
            sb.append(a.routersMarkdown()).append('\n');
        }
        return sb.toString();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v, double mean) {
        if (v.length < 2) {
            return 0;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
