package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.StubModels;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.HashedTokenEncoder;

class StrategyEvaluationTest {
    @TempDir
    Path tmp;

    @Test
    void comparesStrategiesOnTheSamePromptsWithCostsThatFollowTheRouting() throws Exception {
        ImageSpec spec = new ImageSpec(3, 16, 16);
        List<Block> experts = new ArrayList<>();
        experts.add(new StubModels.StubVelocity(-0.5, 0.2, 1.0));
        experts.add(new StubModels.StubVelocity(0.3, -0.4, -2.0));
        experts.add(new StubModels.StubVelocity(0.8, 0.1, 0.5));
        Block router = new StubModels.StubRouter(new double[] {3, -2, 0.5}, new double[] {0, 1, -1});
        Block mono = new StubModels.StubVelocity(0.1, 0.1, 0.1);
        int steps = 3;
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts, router, mono),
                new SamplerConfig(spec, steps, 2.0, 5));
        List<StrategyEvaluation.Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            prompts.add(new StrategyEvaluation.Prompt("a small red circle " + i, i % 3,
                    Map.of("shape", i % 2 == 0 ? "circle" : "square", "color", "red")));
        }
        ClassifierConfig cc = new ClassifierConfig(3, 16, 4, 8, Map.of("shape", List.of("circle", "square"),
                "color", List.of("red", "blue")));
        Random r = new Random(1);
        List<ImageU8> real = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] px = new byte[spec.numel()];
            r.nextBytes(px);
            real.add(new ImageU8(3, 16, 16, px));
        }
        ForwardCost expert = new ForwardCost("e", 1e9);
        ForwardCost routerCost = new ForwardCost("r", 0.25e9);
        List<String> seen = new ArrayList<>();
        try (FeatureClassifier fc = FeatureClassifier.untrained(cc, 3);
             HashedTokenEncoder enc = new HashedTokenEncoder(8, 4)) {
            RealReference reference = RealReference.fit(fc.features(real.subList(0, 28)), 3);
            StrategyEvaluation.Held held = new StrategyEvaluation.Held(real.subList(28, 40), prompts, null);
            StrategyEvaluation.Measures measures = new StrategyEvaluation.Measures(
                    EvaluationFeatures.of(fc, "untrained classifier"), reference, fc, held, RoutingStrategy.parse("top-2"),
                    9);
            StrategyEvaluation.Report report = StrategyEvaluation.run(sampler, enc, prompts,
                    RoutingStrategy.paperComparison(), measures, expert, routerCost, 5, ProgressListener.NONE,
                    s -> seen.add(s.strategy()));
            assertEquals(List.of("monolith", "top-1", "top-2", "full", "oracle"), seen);
            double top1 = report.get("top-1").cost().expertForwardsPerImage();
            assertEquals(2.0 * steps, top1, 1e-9); // one expert, cond + uncond, per step
            assertEquals(2 * top1, report.get("top-2").cost().expertForwardsPerImage(), 1e-9);
            assertEquals(3 * top1, report.get("full").cost().expertForwardsPerImage(), 1e-9);
            assertEquals(top1, report.get("oracle").cost().expertForwardsPerImage(), 1e-9);
            assertEquals(top1, report.get("monolith").cost().expertForwardsPerImage(), 1e-9);
            // The router's cost is counted only where it ran.
            assertEquals(top1 * 2 + steps * 0.5, report.get("top-1").cost().gflopsPerImage(), 1e-9);
            assertEquals(top1 * 2, report.get("oracle").cost().gflopsPerImage(), 1e-9);
            for (StrategyEvaluation.StrategyResult row : report.results()) {
                assertTrue(row.frechetDistance() >= -1e-9 && Double.isFinite(row.frechetDistance()), row.toString());
                assertEquals(12, row.adherence().images());
                QualityMetrics q = row.quality();
                assertEquals(row.frechetDistance(), q.fd().estimate(), 0.0);
                assertEquals(3, q.fdDimensions());
                assertTrue(q.fd().lower() <= q.fd().upper() && q.kid().lower() <= q.kid().upper(), q.toString());
                assertTrue(q.precision() >= 0 && q.precision() <= 1 && q.recall() >= 0 && q.recall() <= 1, q.toString());
                assertEquals(12, q.images());
            }
            assertEquals(List.of(StrategyEvaluation.REAL_CONTROL, StrategyEvaluation.shuffledControl("top-2")),
                    report.controls().stream().map(StrategyEvaluation.Control::name).toList());
            assertEquals("untrained classifier", report.featureSpace());
            report.write(tmp);
            assertTrue(Files.readString(tmp.resolve("results.md")).contains("| top-2 |"));
            assertTrue(Files.readString(tmp.resolve("results.md")).contains("control: real (held-out)"));
            assertEquals(6, Files.readAllLines(tmp.resolve("results.csv")).size());
            assertEquals(3, Files.readAllLines(tmp.resolve("controls.csv")).size());
        }
    }

    @Test
    void aDatasetWithoutAttributesIsMeasuredInDinov2FeaturesWithAdherenceNotMeasured() throws Exception {
        ImageSpec spec = new ImageSpec(3, 16, 16);
        List<Block> experts = List.of(new StubModels.StubVelocity(-0.5, 0.2, 1.0),
                new StubModels.StubVelocity(0.3, -0.4, -2.0));
        EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts,
                new StubModels.StubRouter(new double[] {1, -1}, new double[] {0, 1}),
                new StubModels.StubVelocity(0.1, 0.1, 0.1)), new SamplerConfig(spec, 2, 2.0, 5));
        List<StrategyEvaluation.Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prompts.add(new StrategyEvaluation.Prompt("a photo " + i, i % 2, Map.of()));
        }
        Random r = new Random(2);
        List<ImageU8> real = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] px = new byte[spec.numel()];
            r.nextBytes(px);
            real.add(new ImageU8(3, 16, 16, px));
        }
        try (org.parisjava.features.HfDinov2Features dino = org.parisjava.features.HfDinov2Features.builder()
                .setFolder(Path.of("src/test/resources/hf/tiny-dinov2")).optInputSize(28).build();
             HashedTokenEncoder enc = new HashedTokenEncoder(8, 4)) {
            EvaluationFeatures features = EvaluationFeatures.of(dino);
            RealReference reference = RealReference.fit(features.features(real.subList(0, 14)), 2);
            StrategyEvaluation.Held held = new StrategyEvaluation.Held(real.subList(14, 20), prompts.subList(0, 6), null);
            StrategyEvaluation.Report report = StrategyEvaluation.run(sampler, enc, prompts,
                    List.of(RoutingStrategy.parse("monolith"), RoutingStrategy.parse("top-1")),
                    new StrategyEvaluation.Measures(features, reference, null, held, null, 4),
                    new ForwardCost("e", 1e9), new ForwardCost("r", 1e8), 4, ProgressListener.NONE, null);
            assertTrue(report.featureSpace().startsWith("hf:tiny-dinov2(dinov2"), report.featureSpace());
            assertTrue(!report.adherenceMeasured());
            for (StrategyEvaluation.StrategyResult row : report.results()) {
                assertEquals(null, row.adherence());
                assertTrue(Double.isFinite(row.quality().kid().estimate()) && row.frechetDistance() >= -1e-9,
                        row.toString());
            }
            assertEquals(List.of(StrategyEvaluation.REAL_CONTROL),
                    report.controls().stream().map(StrategyEvaluation.Control::name).toList());
            String md = report.toMarkdown();
            assertTrue(md.contains("| monolith |") && md.contains("not measured"), md);
            report.write(tmp);
            String csvRow = Files.readAllLines(tmp.resolve("results.csv")).get(1);
            assertTrue(csvRow.startsWith("monolith,") && csvRow.contains(",,"), csvRow);
        }
    }
}
