package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.model.RouterConfig;
import org.parisjava.report.ResultsTable;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.TrainingLoop;
import org.parisjava.train.Checkpoint;

/**
 * {@code --router both} on a finished text-blind run, at a scale below smoke (two optimizer steps per
 * model): the text-aware router is trained beside the text-blind one, the routed strategies are sampled
 * again with it, and nothing the text-blind run made changes.
 */
class RouterBothRunTest {
    @TempDir
    Path tmp;

    @Test
    void aTextBlindRunGainsATextAwareRouterWithoutChangingItsResults() throws Exception {
        Preset tiny = new Preset("smoke", "shapes", 16, 160, 8, 8, 2, "smoke", 2, 8, 1e-3, "smoke", 2, 8, 2, 3.0, 8, false);
        Reproduction.Options blind = new Reproduction.Options(tiny, 3, null, "pca", 8,
                List.of(RoutingStrategy.parse("monolith"), RoutingStrategy.parse("top-2"), RoutingStrategy.parse("oracle")),
                null, null, null);
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.run(run, blind, ProgressListener.NONE);
        byte[] results = Files.readAllBytes(run.evalDir().resolve(EvaluateStage.RESULTS_JSON));
        byte[] routerWeights = Files.readAllBytes(latestWeights(run.routerDir()));

        Reproduction.Options both = blind.withRouter(Reproduction.Options.BOTH);
        assertEquals(List.of(Reproduction.Stage.ROUTER, Reproduction.Stage.EVALUATE, Reproduction.Stage.FIGURES),
                Reproduction.pending(run, both), "only the router, evaluate and figures stages have work to do");
        Reproduction.Result r = Reproduction.run(run, both, ProgressListener.NONE);
        assertTrue(r.summary().table().rows().stream().anyMatch(x -> x.strategy().equals("top-2"
                + Figures.TEXT_AWARE_SUFFIX)), "the run's result table, which a seeds sweep aggregates, has the rows");

        assertEquals(Reproduction.Options.BOTH, Reproduction.fromRun(run).router());
        assertArrayEquals(results, Files.readAllBytes(run.evalDir().resolve(EvaluateStage.RESULTS_JSON)),
                "the text-blind results are kept as they were");
        assertArrayEquals(routerWeights, Files.readAllBytes(latestWeights(run.routerDir())));
        RouterConfig text = Checkpoint.latest(run.textAwareRouterDir().resolve(TrainingLoop.CHECKPOINTS)).orElseThrow()
                .info().config(RouterConfig.class);
        assertTrue(text.textAware(), "router-text/ holds a text-aware router: " + text);
        assertTrue(Files.isRegularFile(run.textAwareRouterDir().resolve(RouterTrainer.ACCURACY)));

        // only the routed strategy is sampled again, on the same prompts
        StrategyEvaluation.Report aware = EvaluateStage.readTextAwareReport(run);
        assertEquals(List.of("top-2"), aware.results().stream().map(StrategyEvaluation.StrategyResult::strategy).toList());
        assertEquals(EvaluateStage.readReport(run).images(), aware.images());

        // the table, the summary and the seed aggregate carry the text-aware rows beside the text-blind ones
        String csv = Files.readString(run.figuresDir().resolve(Figures.RESULTS_CSV));
        assertTrue(csv.contains("\ntop-2" + Figures.TEXT_AWARE_SUFFIX + ","), csv);
        assertTrue(Files.isRegularFile(run.figuresDir().resolve(Figures.ROUTER_COMPARISON_MD)));
        ResultsTable table = Figures.resultsTable(Figures.withTextAwareRows(EvaluateStage.readReport(run), aware));
        SeedSweep.Aggregate a = SeedSweep.aggregate(Map.of(3L, table));
        assertEquals(1, a.routers().size());
        assertEquals("not distinguishable", a.routers().get(0).fd(), "one seed has no interval");

        // a third call has nothing left to do
        assertEquals(List.of(Reproduction.Stage.FIGURES), Reproduction.pending(run, both));
    }

    private static Path latestWeights(Path modelDir) throws Exception {
        Path dir = Checkpoint.latest(modelDir.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().dir();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
    }
}
