package org.parisjava.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.parisjava.train.RouterAccuracy;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.io.AtomicFiles;
import org.parisjava.report.ResultsTable;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.viz.ChartFiles;
import org.parisjava.viz.ImageGrid;

/**
 * Stage 7: the six figures, the results table and SUMMARY.md. Reads {@code clustering/},
 * {@code shards/}, the loss logs of {@code experts/} and {@code monolith/}, {@code router/accuracy.json},
 * {@code eval/results.json}, {@code eval/samples/} and {@code reproduce.json}; writes {@code figures/}.
 * It always runs: drawing is cheap, and a reevaluation must redraw.
 */
final class FiguresStage implements PipelineStage {

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.FIGURES;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        List<Path> in = new ArrayList<>(List.of(run.clusteringDir()));
        in.addAll(StageFiles.shards(run, o));
        in.addAll(StageFiles.experts(run, o));
        in.addAll(List.of(run.monolithDir(), run.routerDir(), run.evalDir(),
                run.root().resolve(RunManifest.STAGES_FILE)));
        return in;
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return List.of(run.figuresDir());
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return false;
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        StrategyEvaluation.Report report = EvaluateStage.readReport(run);
        // with --router both, the routed strategies sampled with the text-aware router join the table and fig4
        StrategyEvaluation.Report table = Figures.withTextAwareRows(report, EvaluateStage.readTextAwareReport(run));
        List<RunManifest.StageRecord> stages = RunManifest.readStages(run);
        Path dir = run.figuresDir();
        int k = o.preset().coarseClusters();
        try {
            Files.createDirectories(dir);
            // 1. cluster composition, and a row of real images per cluster
            Path comp = run.clusteringDir().resolve("composition.png");
            if (Files.isRegularFile(comp)) {
                Files.copy(comp, dir.resolve(Figures.COMPOSITION), StandardCopyOption.REPLACE_EXISTING);
            }
            Figures.clusterSamples(run, k).writePng(dir.resolve(Figures.CLUSTER_SAMPLES));
            // 2. loss curves
            png(Figures.lossCurves(run, k, o.expertOptions().batch()), dir.resolve(Figures.LOSS_CURVES));
            // 3. router accuracy by timestep, and its confusion matrix
            RouterAccuracy.Result acc = Figures.routerAccuracy(run);
            RouterAccuracy.Result text = Figures.textAwareRouterAccuracy(run);
            if (text == null || o.textAwareRouter()) {
                png(Figures.routerAccuracyChart(acc), dir.resolve(Figures.ROUTER_ACCURACY));
            } else { // a text-aware router trained beside this run's text-blind one: both in fig3, and a table
                png(Figures.routerAccuracyChart(acc, "text-aware router", text), dir.resolve(Figures.ROUTER_ACCURACY));
                AtomicFiles.writeString(dir.resolve(Figures.ROUTER_COMPARISON_MD),
                        Figures.routerComparisonMarkdown("text-blind router", acc, "text-aware router", text));
            }
            png(Figures.routerConfusionChart(acc), dir.resolve(Figures.ROUTER_CONFUSION));
            // 4. quality against cost, and the same prompts and seeds under each strategy
            png(Figures.tradeoffChart(table), dir.resolve(Figures.TRADEOFF));
            ImageGrid grid = Figures.strategySamples(run, report);
            if (grid != null) {
                grid.writePng(dir.resolve(Figures.STRATEGY_SAMPLES));
            }
            // 5. which experts the router picks along the trajectory
            CategoryChart usage = Figures.usageChart(report);
            if (usage != null) {
                png(usage, dir.resolve(Figures.USAGE));
            }
            // 6. data and compute: the papers, and this run
            png(Figures.paperDataCompute(), dir.resolve(Figures.DATA_COMPUTE));
            Map<String, Double> compute = ComputeAccounting.measuredCompute(run, stages, k);
            if (!compute.isEmpty()) {
                png(Figures.runCompute(compute), dir.resolve(Figures.RUN_COMPUTE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write figures to " + dir, e);
        }
        ResultsTable results = Figures.resultsTable(table);
        results.write(dir.resolve(Figures.RESULTS_CSV), dir.resolve(Figures.RESULTS_MD));
        AtomicFiles.writeString(dir.resolve(Figures.SUMMARY),
                summaryMarkdown(o, report, ResultsSummary.of(results), stages));
    }

    /** The figure files present in {@code run}, in the order the stage draws them. */
    static List<Path> files(RunLayout run) {
        List<Path> out = new ArrayList<>();
        for (String f : List.of(Figures.COMPOSITION, Figures.CLUSTER_SAMPLES, Figures.LOSS_CURVES,
                Figures.ROUTER_ACCURACY, Figures.ROUTER_CONFUSION, Figures.TRADEOFF, Figures.STRATEGY_SAMPLES,
                Figures.USAGE, Figures.DATA_COMPUTE, Figures.RUN_COMPUTE, Figures.RESULTS_CSV, Figures.RESULTS_MD,
                Figures.SUMMARY)) {
            Path p = run.figuresDir().resolve(f);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static void png(Chart<?, ?> chart, Path file) {
        ChartFiles.writePng(chart, file);
    }

    private static String summaryMarkdown(Reproduction.Options o, StrategyEvaluation.Report report,
                                          ResultsSummary summary, List<RunManifest.StageRecord> stages) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Reproduction: preset ").append(o.preset().name()).append(", seed ").append(o.seed()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Dataset `%s`, K = %d experts, %d images per strategy, %d Euler steps,"
                        + " guidance %.1f.%n%n", o.datasetSpec(), o.preset().coarseClusters(), report.images(),
                report.steps(), report.guidanceScale()));
        sb.append(summary.table().toMarkdown()).append('\n');
        sb.append(summary.statement()).append("\n\n");
        sb.append("Frechet distance is measured in the feature space of the small classifier this run trains on its own"
                + " real images, not Inception: compare strategies within this table, not with the paper's FIDs.\n\n");
        sb.append("| stage | seconds | |\n|---|---:|---|\n");
        for (RunManifest.StageRecord r : stages) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s |%n", r.stage(), r.seconds(), r.note()));
        }
        if (stages.stream().anyMatch(r -> r.beside() != null)) {
            sb.append("\nA stage trained beside the experts ran in their pool of processes at the same time; its seconds"
                    + " overlap theirs.\n");
        }
        return sb.toString();
    }
}
