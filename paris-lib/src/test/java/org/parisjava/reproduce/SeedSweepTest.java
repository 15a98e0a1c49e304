package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.eval.BootstrapInterval;
import org.parisjava.report.ResultsTable;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;

/** Aggregation over seeds and the interval-based verdict, on synthetic results. */
class SeedSweepTest {
    @TempDir
    Path tmp;

    private static ResultsTable table(double top2, double monolith, double top1, double full) {
        return new ResultsTable()
                .add(new ResultsTable.Row("monolith", monolith, 0.5, 20, 1))
                .add(new ResultsTable.Row("top-1", top1, 0.5, 20, 1))
                .add(new ResultsTable.Row("top-2", top2, 0.6, 40, 2))
                .add(new ResultsTable.Row("full", full, 0.4, 80, 4));
    }

    @Test
    void meanSdAndTIntervalPerStrategy() {
        Map<Long, ResultsTable> bySeed = new LinkedHashMap<>();
        bySeed.put(42L, table(10, 20, 30, 40));
        bySeed.put(43L, table(12, 22, 31, 41));
        bySeed.put(44L, table(14, 21, 32, 42));
        SeedSweep.Aggregate a = SeedSweep.aggregate(bySeed);
        assertEquals(List.of(42L, 43L, 44L), a.seeds());
        SeedSweep.StrategyStats top2 = a.rows().stream().filter(r -> r.strategy().equals("top-2")).findFirst().get();
        assertEquals(12.0, top2.mean(), 1e-12);
        assertEquals(2.0, top2.sd(), 1e-12); // sample sd of 10, 12, 14
        // t(0.975, 2) = 4.302653: half-width 4.3027 * 2 / sqrt(3) = 4.9683
        assertEquals(12 - 4.96827, top2.interval().lower(), 1e-4);
        assertEquals(12 + 4.96827, top2.interval().upper(), 1e-4);
        assertEquals(0.6, top2.adherenceMean(), 1e-12);
        assertEquals(0.0, top2.adherenceSd(), 1e-12);
        // top-2 [7.0, 17.0] against the monolith 21 +- 2.48: separated; monolith 21 [18.5, 23.5] against top-1 31
        // [28.5, 33.5]: separated; all of them apart from each other
        assertTrue(a.verdict().orderingReproduced(), a.verdict().statement());
        assertEquals(ComparisonVerdict.Outcome.REPRODUCED, a.verdict().headline());
        assertTrue(a.toMarkdown().contains("| top-2 | 12.00 +- 2.00 | [7.03, 16.97] | 10.00, 12.00, 14.00 |"),
                a.toMarkdown());
        assertTrue(a.toCsv().startsWith("strategy,seeds,frechet_mean"), a.toCsv());
        // these tables carry no KID: its columns are NaN and there is no KID verdict
        assertTrue(a.toCsv().contains("top-2,3,12.0000,2.0000,7.0317,16.9683,NaN,NaN,-Infinity,Infinity,0.6000,0.0000"),
                a.toCsv());
        assertNull(a.kidVerdict());
        assertTrue(a.routers().isEmpty());
        // the figure: one bar per strategy at its mean, the error bar half the interval's width
        assertTrue(a.measured(SeedSweep.Metric.FRECHET_DISTANCE) && a.measured(SeedSweep.Metric.ADHERENCE));
        assertFalse(a.measured(SeedSweep.Metric.KID));
        var series = Figures.seedIntervalsChart(a, SeedSweep.Metric.FRECHET_DISTANCE).getSeriesCollection()
                .iterator().next();
        List<String> names = new java.util.ArrayList<>();
        series.getXData().forEach(x -> names.add(x.toString()));
        assertEquals(a.rows().stream().map(SeedSweep.StrategyStats::strategy).toList(), names);
        int i = names.indexOf("top-2");
        assertEquals(12.0, series.getYData()[i], 1e-12);
        assertEquals(4.96827, series.getExtraValues()[i], 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Figures.seedIntervalsChart(a, SeedSweep.Metric.KID),
                "these tables carry no KID");
    }

    private static ResultsTable.Row row(String strategy, double fd, double kid, double adherence) {
        return new ResultsTable.Row(strategy, fd, adherence, 40, 2, new BootstrapInterval(fd, fd - 1, fd + 1, 0.95, 10),
                new BootstrapInterval(kid, kid - 0.001, kid + 0.001, 0.95, 10), 0.5, 0.5);
    }

    @Test
    void kidIsAggregatedWithItsOwnVerdictAndTheTwoRoutersAreCompared() {
        Map<Long, ResultsTable> bySeed = new LinkedHashMap<>();
        double[][] perSeed = {{10, 20, 0.010, 0.020, 12.0, 0.009}, {11, 21, 0.011, 0.021, 12.5, 0.030},
                {12, 22, 0.012, 0.022, 11.5, 0.015}};
        long seed = 42;
        for (double[] v : perSeed) {
            bySeed.put(seed++, new ResultsTable()
                    .add(row("top-2", v[0], v[2], 0.6))
                    .add(row("monolith", v[1], v[3], 0.5))
                    .add(row("top-2" + Figures.TEXT_AWARE_SUFFIX, v[4], v[5], 0.8)));
        }
        SeedSweep.Aggregate a = SeedSweep.aggregate(bySeed);
        SeedSweep.StrategyStats top2 = a.rows().get(0);
        assertEquals(11.0, top2.kidMean(), 1e-9); // KID x 1000 of 0.010, 0.011, 0.012
        assertEquals(1.0, top2.kidSd(), 1e-9);
        assertEquals(11 - 4.302653 / Math.sqrt(3), top2.kidInterval().lower(), 1e-4);
        assertEquals(SeedSweep.KID_METRIC, a.kidVerdict().metric());
        assertEquals(ComparisonVerdict.Outcome.REPRODUCED, a.kidVerdict().headline(), a.kidVerdict().statement());
        assertTrue(a.kidVerdict().statement().contains("of the KID x 1000"), a.kidVerdict().statement());
        // top-2 with each router: FD 11 +- 2.48 against 12 +- 1.24 overlap; KID 11 +- 2.48 against 18 +- 27 overlap
        assertEquals(1, a.routers().size());
        // a text-blind request on runs made with both routers: the summary names the runs' routers
        String summary = SeedSweep.summaryMarkdown(Reproduction.Options.of(org.parisjava.run.Preset.of("smoke"), 42), a);
        assertTrue(summary.startsWith("# Reproduction over 3 seeds: preset smoke, router both"), summary);
        SeedSweep.RouterComparison c = a.routers().get(0);
        assertEquals("top-2", c.strategy());
        assertEquals("not distinguishable", c.fd());
        assertEquals("not distinguishable", c.kid());
        assertEquals(0.8, c.awareAdherence().estimate(), 1e-12);
        // adherence 0.6 against 0.8 in every seed: zero spread, separated, and higher is better
        assertEquals("text-aware", c.adherence());
        assertEquals("text-blind", SeedSweep.favoursHigher(new ComparisonVerdict.Interval(0.8, 0.7, 0.9),
                new ComparisonVerdict.Interval(0.5, 0.4, 0.6)));
        assertTrue(a.routersMarkdown().contains("| top-2 | 11.00 ["), a.routersMarkdown());
        // separated intervals favour one router, in the direction of the lower metric
        assertEquals("text-aware", SeedSweep.favours(new ComparisonVerdict.Interval(10, 9, 11),
                new ComparisonVerdict.Interval(5, 4, 6)));
        assertEquals("text-blind", SeedSweep.favours(new ComparisonVerdict.Interval(5, 4, 6),
                new ComparisonVerdict.Interval(10, 9, 11)));
    }

    @Test
    void overlappingSeedsAreNotDistinguishableAndOneSeedDecidesNothing() {
        Map<Long, ResultsTable> bySeed = new LinkedHashMap<>();
        bySeed.put(1L, table(10.7, 11.0, 30, 40));
        bySeed.put(2L, table(11.5, 10.2, 31, 41));
        bySeed.put(3L, table(10.1, 11.3, 29, 39));
        ComparisonVerdict v = SeedSweep.aggregate(bySeed).verdict();
        assertEquals(ComparisonVerdict.Outcome.NOT_DISTINGUISHABLE, v.headline());
        assertFalse(v.orderingReproduced());
        assertTrue(v.pairs(ComparisonVerdict.Outcome.REPRODUCED).contains("monolith < top-1"), v.statement());
        assertTrue(v.statement().contains("not distinguishable"), v.statement());

        // a single seed has no interval: even a large difference is not called reproduced
        ComparisonVerdict one = SeedSweep.aggregate(Map.of(42L, table(10, 20, 30, 40))).verdict();
        assertTrue(one.comparisons().stream().allMatch(c -> c.outcome() == ComparisonVerdict.Outcome.NOT_DISTINGUISHABLE));
        assertTrue(SeedSweep.aggregate(Map.of(42L, table(10, 20, 30, 40))).toMarkdown().contains("none (one seed)"));
    }

    @Test
    void separatedTheOtherWayIsReversed() {
        Map<String, ComparisonVerdict.Interval> m = new LinkedHashMap<>();
        m.put("top-2", new ComparisonVerdict.Interval(30, 28, 32));
        m.put("monolith", new ComparisonVerdict.Interval(20, 18, 22));
        m.put("oracle", new ComparisonVerdict.Interval(5, 4, 6));
        ComparisonVerdict v = ComparisonVerdict.of(m, "test intervals");
        assertEquals(1, v.comparisons().size()); // oracle is not in the paper's ranking
        assertEquals(ComparisonVerdict.Outcome.REVERSED, v.headline());
        assertTrue(v.toMarkdown().contains("| top-2 < monolith | 30.00 [28.00, 32.00] vs 20.00 [18.00, 22.00] | reversed |"),
                v.toMarkdown());
        // with only one of the paper's strategies there is nothing to decide
        ComparisonVerdict none = ComparisonVerdict.of(Map.of("top-2", new ComparisonVerdict.Interval(1, 0, 2)), "x");
        assertFalse(none.orderingReproduced());
        assertNull(none.headline());
    }

    @Test
    void oneSeedBootstrapIntervalsFeedTheSameVerdict() {
        Map<String, BootstrapInterval> b = new LinkedHashMap<>();
        b.put("top-2", new BootstrapInterval(10, 8, 12, 0.95, 200));
        b.put("monolith", new BootstrapInterval(11, 9, 13, 0.95, 200));
        b.put("full", new BootstrapInterval(30, 25, 35, 0.95, 200));
        ComparisonVerdict v = ComparisonVerdict.ofBootstrap(b);
        assertTrue(v.basis().contains("95% bootstrap intervals of one seed"), v.basis());
        assertEquals(ComparisonVerdict.Outcome.NOT_DISTINGUISHABLE, v.headline());
        assertEquals(List.of("top-2 < full", "monolith < full"), v.pairs(ComparisonVerdict.Outcome.REPRODUCED));
    }

    @Test
    void aStrategyMissingInOneSeedIsAnError() {
        Map<Long, ResultsTable> bySeed = new LinkedHashMap<>();
        bySeed.put(1L, table(10, 20, 30, 40));
        bySeed.put(2L, new ResultsTable().add(new ResultsTable.Row("monolith", 20, 0.5, 20, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedSweep.aggregate(bySeed));
        assertTrue(e.getMessage().contains("Seed 2") && e.getMessage().contains("top-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SeedSweep.seeds(42, 0));
        assertEquals(List.of(42L, 43L, 44L), SeedSweep.seeds(42, 3));
    }

    @Test
    void theRouterKindIsRecordedInRunJsonAndARunOfTheOtherKindIsRefused() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options aware = Reproduction.Options.of(Preset.of("smoke"), 5)
                .withRouter(Reproduction.Options.TEXT_AWARE);
        RunManifest.writeOrCheck(run, aware);
        assertEquals(Reproduction.Options.TEXT_AWARE, RunManifest.readOptions(run).router());
        assertEquals(Reproduction.Options.TEXT_AWARE, SeedSweep.withSeed(aware, 6).router());
        assertEquals(6, SeedSweep.withSeed(aware, 6).seed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunManifest.writeOrCheck(run,
                Reproduction.Options.of(Preset.of("smoke"), 5)));
        assertTrue(e.getMessage().contains("router: made with text-aware, asked text-blind"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> aware.withRouter("psychic"));
        // a text-blind run may add the text-aware router beside its own (--router both), nothing else
        RunLayout blind = new RunLayout(tmp.resolve("blind"));
        Reproduction.Options paper = Reproduction.Options.of(Preset.of("smoke"), 5);
        RunManifest.writeOrCheck(blind, paper);
        RunManifest.writeOrCheck(blind, paper.withRouter(Reproduction.Options.BOTH));
        assertEquals(Reproduction.Options.BOTH, RunManifest.readOptions(blind).router());
        assertTrue(RunManifest.readOptions(blind).comparesRouters());
        // and then holds the text-blind run, so a text-blind request on it goes on (it stays a run of both)
        RunManifest.writeOrCheck(blind, paper);
        assertEquals(Reproduction.Options.BOTH, RunManifest.readOptions(blind).router());
        assertThrows(IllegalArgumentException.class, () -> RunManifest.writeOrCheck(blind,
                paper.withRouter(Reproduction.Options.TEXT_AWARE)), "a text-aware request is not the text-blind run");
        assertThrows(IllegalArgumentException.class, () -> RunManifest.writeOrCheck(run,
                aware.withRouter(Reproduction.Options.BOTH)));
        // the default is the paper's text-blind router
        assertEquals(Reproduction.Options.TEXT_BLIND, Reproduction.Options.of(Preset.of("smoke"), 5).router());
        assertEquals(tmp.resolve("sweep").resolve("seed-43"), SeedSweep.seedRun(tmp.resolve("sweep"), 43).root());
    }
}
