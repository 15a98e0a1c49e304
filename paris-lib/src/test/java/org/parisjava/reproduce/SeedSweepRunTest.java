package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * Two seeds of the whole reproduction with the text-aware router, at a scale below smoke (two
 * optimizer steps per model): every stage runs for real, the router reads the captions while sampling,
 * and the sweep writes one combined table and verdict.
 */
@Tag("slow") // two whole pipelines, the evaluation classifier included: minutes on 2 cores
class SeedSweepRunTest {
    @TempDir
    Path tmp;

    @Test
    void twoSeedsWithTheTextAwareRouterGiveOneCombinedTableAndVerdict() throws Exception {
        Preset tiny = new Preset("smoke", "shapes", 16, 160, 8, 8, 2, "smoke", 2, 8, 1e-3, "smoke", 2, 8, 2, 3.0, 8, false);
        Reproduction.Options o = new Reproduction.Options(tiny, 3, null, "pca", 8,
                List.of(RoutingStrategy.parse("monolith"), RoutingStrategy.parse("top-2")), null, null, null, null,
                Reproduction.Options.TEXT_AWARE);
        Path root = tmp.resolve("sweep");
        SeedSweep.Result r = SeedSweep.run(root, o, 2, ProgressListener.NONE);
        assertEquals(2, r.runs().size());
        for (long s : new long[] {3, 4}) {
            RunLayout run = SeedSweep.seedRun(root, s);
            Reproduction.Options back = Reproduction.fromRun(run);
            assertEquals(s, back.seed());
            assertEquals(Reproduction.Options.TEXT_AWARE, back.router());
            assertTrue(Files.readString(run.routerDir().resolve("train-config.json")).matches("(?s).*\"textEncoder\"\\s*:\\s*\"hashed.*"),
                    "the router records the text encoder it reads");
        }
        SeedSweep.Aggregate a = r.aggregate();
        assertEquals(List.of(3L, 4L), a.seeds());
        assertEquals(List.of("monolith", "top-2"), a.rows().stream().map(SeedSweep.StrategyStats::strategy).toList());
        for (SeedSweep.StrategyStats s : a.rows()) {
            assertEquals(2, s.frechetDistance().length);
            assertTrue(Double.isFinite(s.mean()) && s.interval().lower() <= s.mean(), s.toString());
        }
        String summary = Files.readString(root.resolve(SeedSweep.SUMMARY));
        assertTrue(summary.contains("over 2 seeds") && summary.contains("router text-aware"), summary);
        assertTrue(summary.contains("Headline claim, top-2 better than the monolith: "), summary);
        assertEquals(3, Files.readAllLines(root.resolve(SeedSweep.TABLE_CSV)).size());
        for (SeedSweep.Metric m : SeedSweep.Metric.values()) { // shapes measures all three
            assertTrue(Files.size(root.resolve(m.file())) > 1000, m.file());
        }
        // a second call resumes: every stage of both seeds is complete, nothing is trained again
        SeedSweep.Result again = SeedSweep.run(root, o, 2, ProgressListener.NONE);
        assertEquals(a.rows().get(1).mean(), again.aggregate().rows().get(1).mean(), 1e-12);
    }
}
