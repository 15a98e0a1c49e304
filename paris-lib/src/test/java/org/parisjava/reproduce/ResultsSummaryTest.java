package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parisjava.report.ResultsTable;

class ResultsSummaryTest {
    private static ResultsTable table(double mono, double top1, double top2, double full, double oracle) {
        return new ResultsTable()
                .add(new ResultsTable.Row("monolith", mono, 0.5, 50, 1))
                .add(new ResultsTable.Row("top-1", top1, 0.5, 50, 1))
                .add(new ResultsTable.Row("top-2", top2, 0.5, 100, 2))
                .add(new ResultsTable.Row("full", full, 0.5, 400, 8))
                .add(new ResultsTable.Row("oracle", oracle, 0.5, 50, 1));
    }

    @Test
    void thePapersOrderIsRecognizedWhateverTheOracleDoes() {
        ResultsSummary s = ResultsSummary.of(table(29.6, 30.6, 22.6, 47.9, 1.0));
        assertEquals(List.of("top-2", "monolith", "top-1", "full"), s.paperRanking());
        assertEquals(List.of("oracle", "top-2", "monolith", "top-1", "full"), s.ranking());
        assertTrue(s.orderingReproduced());
        assertTrue(s.top2BeatsMonolith());
        assertTrue(s.statement().contains("reproduces that ordering"), s.statement());
    }

    @Test
    void anotherOrderIsReportedAsNotReproducedWithTheRunsOrder() {
        ResultsSummary s = ResultsSummary.of(table(10, 12, 11, 30, 9));
        assertFalse(s.orderingReproduced());
        assertFalse(s.top2BeatsMonolith());
        assertEquals(List.of("monolith", "top-2", "top-1", "full"), s.runRankingOfPaper());
        assertTrue(s.statement().contains("does not reproduce that ordering (it has monolith < top-2 < top-1 < full)"),
                s.statement());
        assertTrue(s.statement().contains("does not hold"), s.statement());
    }

    @Test
    void withoutTheMonolithTheHeadlineClaimIsNotJudged() {
        ResultsSummary s = ResultsSummary.of(new ResultsTable()
                .add(new ResultsTable.Row("top-1", 3, 0.5, 50, 1))
                .add(new ResultsTable.Row("top-2", 2, 0.5, 100, 2)));
        assertNull(s.top2BeatsMonolith());
        assertEquals(List.of("top-2", "top-1"), s.paperRanking());
        assertTrue(s.orderingReproduced());
    }
}
