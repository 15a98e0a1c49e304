package org.parisjava.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {
    @TempDir
    Path tmp;

    @Test
    void paperRatiosAreTheClaimed14xAnd16x() {
        assertEquals(14.4, PaperNumbers.dataRatio(), 0.05);
        assertEquals(16.3, PaperNumbers.computeRatio(), 0.05);
        assertEquals("top-2", PaperNumbers.PARIS_FID.entrySet().stream()
                .min(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey());
        assertEquals("top-1", PaperNumbers.DDM_FID.entrySet().stream()
                .min(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    @Test
    void tableCarriesThisRunBesideThePapers() throws Exception {
        ResultsTable t = new ResultsTable()
                .add(new ResultsTable.Row("monolith", 5.0, 0.5, 2, 0.1))
                .add(new ResultsTable.Row("top-2", 4.0, 0.6, 4, 0.2))
                .add(new ResultsTable.Row("oracle", Double.NaN, 0.7, 2, 0.1));
        String csv = t.toCsv();
        String[] lines = csv.split("\n");
        assertEquals(4, lines.length);
        assertEquals("top-2,4.0000,0.6000,4.00,0.2000,22.60,10.31", lines[2]);
        assertEquals("oracle,,0.7000,2.00,0.1000,,10.46", lines[3]);
        assertTrue(t.toMarkdown().contains("| monolith | 5.000 | 0.500 | 2.0 | 0.100 | 29.64 | 12.81 |"), t.toMarkdown());
        assertEquals(List.of("top-2", "monolith", "oracle"), t.rankingByFrechetDistance());
        t.write(tmp.resolve("r.csv"), tmp.resolve("r.md"));
        assertEquals(csv, Files.readString(tmp.resolve("r.csv")));
    }
}
