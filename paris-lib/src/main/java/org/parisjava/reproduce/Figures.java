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
import org.parisjava.data.ImageU8;
import org.parisjava.data.Shard;
import org.parisjava.infer.ExpertUsage;
import org.parisjava.train.RouterAccuracy;
import org.parisjava.eval.QualityMetrics;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.io.Json;
import org.parisjava.report.PaperNumbers;
import org.parisjava.report.ResultsTable;
import org.parisjava.run.RunLayout;
import org.parisjava.train.LossLog;
import org.parisjava.train.RouterTrainer;
import org.parisjava.viz.ConfusionMatrixFigure;
import org.parisjava.viz.DataComputeFigure;
import org.parisjava.viz.ExpertUsageFigure;
import org.parisjava.viz.ImageGrid;
import org.parisjava.viz.LossCurvesFigure;
import org.parisjava.viz.RouterAccuracyFigure;
import org.parisjava.viz.SeedIntervalsFigure;
import org.parisjava.viz.StrategyTradeoffFigure;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

/**
 * One public builder per figure of a reproduction (docs/design.md, section 4), each from plain
 * values or from files the earlier stages left in the run folder, so a figure can be redrawn (by
 * the figures stage or a notebook) without retraining anything.
 */
public final class Figures {
    /** Images per row in the sample grids. */
    public static final int SAMPLE_COLUMNS = 8;

    public static final String COMPOSITION = "fig1-cluster-composition.png";
    public static final String CLUSTER_SAMPLES = "fig1-cluster-samples.png";
    public static final String LOSS_CURVES = "fig2-loss-curves.png";
    public static final String ROUTER_ACCURACY = "fig3-router-accuracy.png";
    public static final String ROUTER_CONFUSION = "fig3-router-confusion.png";
    public static final String TRADEOFF = "fig4-strategy-tradeoff.png";
    public static final String STRATEGY_SAMPLES = "fig4-strategy-samples.png";
    public static final String USAGE = "fig5-expert-usage.png";
    public static final String DATA_COMPUTE = "fig6-data-compute.png";
    public static final String RUN_COMPUTE = "fig6-run-compute.png";
    public static final String RESULTS_CSV = "results.csv";
    public static final String RESULTS_MD = "results.md";
    public static final String SUMMARY = "SUMMARY.md";

    private Figures() {
    }

    /** How a routed strategy evaluated with the text-aware router ({@code --router both}) is named in tables. */
    public static final String TEXT_AWARE_SUFFIX = " (text-aware router)";

    /**
     * {@code report} with the rows of {@code textAware} (the routed strategies sampled again with the
     * text-aware router) appended, each named with {@link #TEXT_AWARE_SUFFIX}; {@code report} itself
     * when {@code textAware} is null.
     */
    public static StrategyEvaluation.Report withTextAwareRows(StrategyEvaluation.Report report,
                                                              StrategyEvaluation.Report textAware) {
        if (textAware == null) {
            return report;
        }
        List<StrategyEvaluation.StrategyResult> rows = new ArrayList<>(report.results());
        for (StrategyEvaluation.StrategyResult r : textAware.results()) {
            rows.add(new StrategyEvaluation.StrategyResult(r.strategy() + TEXT_AWARE_SUFFIX, r.frechetDistance(),
                    r.adherence(), r.cost(), r.usage(), r.seconds(), r.quality()));
        }
        return new StrategyEvaluation.Report(report.images(), report.seed(), report.steps(), report.guidanceScale(),
                rows, report.featureSpace(), report.adherenceMethod(), report.controls());
    }

    /** The results table of an evaluation: one row per strategy, beside the papers' FIDs. */
    public static ResultsTable resultsTable(StrategyEvaluation.Report report) {
        ResultsTable table = new ResultsTable();
        for (StrategyEvaluation.StrategyResult r : report.results()) {
            QualityMetrics q = r.quality();
            double adherence = r.adherence() == null ? Double.NaN : r.adherence().mean();
            table.add(q == null ? new ResultsTable.Row(r.strategy(), r.frechetDistance(), adherence,
                    r.cost().expertForwardsPerImage(), r.cost().gflopsPerImage())
                    : new ResultsTable.Row(r.strategy(), r.frechetDistance(), adherence, r.cost().expertForwardsPerImage(),
                    r.cost().gflopsPerImage(), q.fd(), q.kid(), q.precision(), q.recall(),
                    r.clipScore() == null ? null : r.clipScore().score()));
        }
        for (StrategyEvaluation.Control c : report.controls()) {
            QualityMetrics q = c.quality();
            table.addControl(new ResultsTable.Row(c.name(), q.fd().estimate(),
                    c.adherence() == null ? Double.NaN : c.adherence().mean(), Double.NaN, Double.NaN, q.fd(), q.kid(),
                    q.precision(), q.recall(), c.clipScore() == null ? null : c.clipScore().score()));
        }
        QualityMetrics any = report.results().isEmpty() ? null : report.results().get(0).quality();
        if (any != null) {
            table.note(String.format(Locale.ROOT, "Quality in %s: Frechet distance on the first %d principal components"
                    + " of the real features, KID (x 1000) in the full features, 95%% bootstrap intervals in brackets,"
                    + " %d images per row. Prompt adherence: %s.", report.featureSpace(), any.fdDimensions(),
                    any.images(), report.adherenceMeasured() ? report.adherenceMethod()
                            : report.clipMeasured() ? "the CLIP score below (no classifier for this dataset's attributes)"
                            : "not measured (no classifier for this dataset's attributes and no CLIP model given)")
                    + (report.clipMeasured() ? " " + StrategyEvaluation.clipSentence(report.clipModel()) + "." : ""));
        }
        return table;
    }

    /**
     * Figure 2: the loss of each of the {@code experts} experts and of the monolith, by training images
     * seen ({@code batch} images per step: experts and monolith share the batch size).
     */
    public static XYChart lossCurves(RunLayout run, int experts, int batch) {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (int c = 0; c < experts; c++) {
            curves.put("expert " + c, lossCurve(run.expertDir(c), batch));
        }
        curves.put("monolith", lossCurve(run.monolithDir(), batch));
        return LossCurvesFigure.chart(curves, 0.5);
    }

    /**
     * Figure 6a: training images and GPU-days of DDM (arXiv 2501.05450) relative to Paris (arXiv
     * 2510.03434), as published.
     */
    public static CategoryChart paperDataCompute() {
        return DataComputeFigure.paperChart(bar(PaperNumbers.PARIS), bar(PaperNumbers.DDM));
    }

    /** Figure 6b: this run's measured training compute, in core-seconds per trained model. */
    public static CategoryChart runCompute(Map<String, Double> coreSecondsByModel) {
        return DataComputeFigure.runChart(coreSecondsByModel);
    }

    private static DataComputeFigure.Bar bar(PaperNumbers.System s) {
        return new DataComputeFigure.Bar(s.name(), s.trainingImagesMillions(), s.gpuDays());
    }

    /** The router's held-out accuracy, as its training stage wrote it. */
    public static RouterAccuracy.Result routerAccuracy(RunLayout run) {
        return Json.read(run.routerDir().resolve(RouterTrainer.ACCURACY), RouterAccuracy.Result.class);
    }

    /** Figure 3a: router accuracy by timestep bin, against chance. */
    public static XYChart routerAccuracyChart(RouterAccuracy.Result acc) {
        double[] centers = acc.bins().stream().mapToDouble(b -> (b.tLow() + b.tHigh()) / 2).toArray();
        double[] accuracy = acc.bins().stream().mapToDouble(RouterAccuracy.Bin::accuracy).toArray();
        return RouterAccuracyFigure.chart(centers, accuracy, acc.clusters());
    }

    /**
     * Where {@code --router both} (or {@code paris train-router --router text-aware --out RUN/router-text})
     * puts a second router ({@link RunLayout#textAwareRouterDir()}).
     */
    public static final String TEXT_AWARE_ROUTER_DIR = "router-text";
    /** Accuracy by timestep of the two routers, when both exist. */
    public static final String ROUTER_COMPARISON_MD = "router-accuracy-text-aware.md";

    /** The text-aware router's held-out accuracy beside the run's router, or null when there is none. */
    public static RouterAccuracy.Result textAwareRouterAccuracy(RunLayout run) {
        java.nio.file.Path f = run.textAwareRouterDir().resolve(RouterTrainer.ACCURACY);
        return java.nio.file.Files.isRegularFile(f) ? Json.read(f, RouterAccuracy.Result.class) : null;
    }

    /** Figure 3a with two routers: the run's one and a second one (text-aware), same bins. */
    public static XYChart routerAccuracyChart(RouterAccuracy.Result acc, String secondName, RouterAccuracy.Result second) {
        XYChart c = routerAccuracyChart(acc);
        double[] centers = second.bins().stream().mapToDouble(b -> (b.tLow() + b.tHigh()) / 2).toArray();
        double[] accuracy = second.bins().stream().mapToDouble(RouterAccuracy.Bin::accuracy).toArray();
        return RouterAccuracyFigure.withRouter(c, secondName, centers, accuracy);
    }

    /** Accuracy per timestep bin of two routers as a Markdown table (bins must agree). */
    public static String routerComparisonMarkdown(String firstName, RouterAccuracy.Result first, String secondName,
                                                  RouterAccuracy.Result second) {
        if (first.bins().size() != second.bins().size()) {
            throw new IllegalArgumentException("The routers were measured on " + first.bins().size() + " and "
                    + second.bins().size() + " timestep bins");
        }
        StringBuilder sb = new StringBuilder("| t | " + firstName + " | " + secondName + " |\n|---|---:|---:|\n");
        for (int i = 0; i < first.bins().size(); i++) {
            RouterAccuracy.Bin a = first.bins().get(i);
            sb.append(String.format(java.util.Locale.ROOT, "| [%.2f, %.2f) | %.3f | %.3f |%n", a.tLow(), a.tHigh(),
                    a.accuracy(), second.bins().get(i).accuracy()));
        }
        sb.append(String.format(java.util.Locale.ROOT, "| all | %.3f | %.3f |%n", first.accuracy(), second.accuracy()));
        return sb.toString();
    }

    /**
     * Figure 4 over a seeds sweep: each strategy's mean of {@code metric} with the 95% t-interval of the mean
     * as an error bar (none for one seed). Text-aware router rows ({@code --router both}) stand beside
     * their text-blind ones.
     *
     * @throws IllegalArgumentException when a strategy lacks the metric in some seed
     *                                  ({@link SeedSweep.Aggregate#measured})
     */
    public static CategoryChart seedIntervalsChart(SeedSweep.Aggregate a, SeedSweep.Metric metric) {
        if (!a.measured(metric)) {
            throw new IllegalArgumentException("Not every strategy has " + metric.label() + " in every seed");
        }
        List<SeedIntervalsFigure.Bar> bars = new ArrayList<>();
        for (SeedSweep.StrategyStats r : a.rows()) {
            ComparisonVerdict.Interval iv = r.interval(metric);
            double half = Double.isFinite(iv.upper()) && Double.isFinite(iv.lower()) ? (iv.upper() - iv.lower()) / 2 : 0;
            bars.add(new SeedIntervalsFigure.Bar(r.strategy(), r.mean(metric), half));
        }
        return SeedIntervalsFigure.chart(String.format(Locale.ROOT, "Inference strategies over %d seeds (%s)",
                a.seeds().size(), a.seeds().size() > 1 ? "mean, 95% interval of the mean" : "one seed, no interval"),
                metric.label(), bars);
    }

    /** Figure 3b: the router's confusion matrix over all t. */
    public static HeatMapChart routerConfusionChart(RouterAccuracy.Result acc) {
        return ConfusionMatrixFigure.chart(acc.confusion(), String.format(Locale.ROOT,
                "Router confusion, all t (accuracy %.2f, chance %.2f)", acc.accuracy(), 1.0 / acc.clusters()));
    }

    /** Figure 4a: Frechet distance against GFLOPs per image, one point per strategy. */
    public static XYChart tradeoffChart(StrategyEvaluation.Report report) {
        List<StrategyTradeoffFigure.Point> points = new ArrayList<>();
        for (StrategyEvaluation.StrategyResult r : report.results()) {
            points.add(new StrategyTradeoffFigure.Point(r.strategy(), r.cost().gflopsPerImage(), r.frechetDistance()));
        }
        return StrategyTradeoffFigure.chart(points, "GFLOPs per image",
                "Frechet distance (classifier features, lower is better)");
    }

    /** Figure 5: mean routing weight per expert along the trajectory of top-2 (else a routed strategy); null if none. */
    public static CategoryChart usageChart(StrategyEvaluation.Report report) {
        StrategyEvaluation.StrategyResult routed = usageSource(report);
        if (routed == null) {
            return null;
        }
        ExpertUsage u = routed.usage();
        double[] t = u.steps().stream().mapToDouble(ExpertUsage.Step::t).toArray();
        double[][] w = new double[u.steps().size()][u.experts()];
        for (int s = 0; s < w.length; s++) {
            for (int e = 0; e < u.experts(); e++) {
                w[s][e] = u.steps().get(s).meanWeight(e, u.images());
            }
        }
        return ExpertUsageFigure.chart(t, w, routed.strategy());
    }

    /** {images seen, loss} from a model folder's loss.csv (empty if it has none), for {@link LossCurvesFigure}. */
    static double[][] lossCurve(Path modelDir, int batch) {
        Path f = modelDir.resolve(LossLog.FILE);
        if (!Files.isRegularFile(f)) {
            return new double[][] {{}, {}};
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + f, e);
        }
        double[] x = new double[Math.max(0, lines.size() - 1)];
        double[] y = new double[x.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            x[i - 1] = Double.parseDouble(c[0]) * batch;
            y[i - 1] = Double.parseDouble(c[1]);
        }
        return new double[][] {x, y};
    }

    /** A row of real images per cluster, labelled with the cluster's size (figure 1b). */
    public static ImageGrid clusterSamples(RunLayout run, int k) {
        List<ImageU8> images = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Shard s = Shard.open(run.shardDir(c));
            addRow(images, s);
            rows.add(String.format(Locale.ROOT, "cluster %d (%d)", c, s.count()));
        }
        return ImageGrid.of(images).withColumns(SAMPLE_COLUMNS).withScale(3).withRowLabels(rows);
    }

    /** The same prompts and seeds under each evaluated strategy, one row per strategy (figure 4b); null if none. */
    public static ImageGrid strategySamples(RunLayout run, StrategyEvaluation.Report report) {
        List<ImageU8> images = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (StrategyEvaluation.StrategyResult r : report.results()) {
            Path d = SampleShards.dir(run, r.strategy());
            if (!Shard.exists(d)) {
                continue;
            }
            addRow(images, Shard.open(d));
            rows.add(r.strategy());
        }
        return images.isEmpty() ? null
                : ImageGrid.of(images).withColumns(SAMPLE_COLUMNS).withScale(3).withRowLabels(rows);
    }

    /** The shard's first {@link #SAMPLE_COLUMNS} images, padded with white cells if it has fewer. */
    private static void addRow(List<ImageU8> images, Shard s) {
        for (int i = 0; i < SAMPLE_COLUMNS; i++) {
            if (i < s.count()) {
                images.add(s.image(i));
            } else {
                byte[] px = new byte[s.spec().numel()];
                java.util.Arrays.fill(px, (byte) 255);
                images.add(new ImageU8(s.spec().channels(), s.spec().height(), s.spec().width(), px));
            }
        }
    }

    /** The strategy whose routing the usage figure shows: top-2 (the paper's best), else any routed one. */
    private static StrategyEvaluation.StrategyResult usageSource(StrategyEvaluation.Report report) {
        StrategyEvaluation.StrategyResult any = null;
        for (StrategyEvaluation.StrategyResult r : report.results()) {
            if (r.usage() == null || r.usage().steps().isEmpty() || r.strategy().equals("monolith")
                    || r.strategy().equals("oracle")) {
                continue;
            }
            if (r.strategy().equals("top-2")) {
                return r;
            }
            any = any == null ? r : any;
        }
        return any;
    }
}
