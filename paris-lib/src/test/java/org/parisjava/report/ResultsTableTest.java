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
        assertEquals("top-2,4.0000,,,,,,,,0.6000,4.00,0.2000,22.60,10.31", lines[2]);
        assertEquals("oracle,,,,,,,,,0.7000,2.00,0.1000,,10.46", lines[3]);
        assertTrue(t.toMarkdown().contains("| monolith | 5.000 | 0.500 | 2.0 | 0.100 | 29.64 | 12.81 |"), t.toMarkdown());
        assertEquals(List.of("top-2", "monolith", "oracle"), t.rankingByFrechetDistance());
        t.write(tmp.resolve("r.csv"), tmp.resolve("r.md"));
        assertEquals(csv, Files.readString(tmp.resolve("r.csv")));
    }

    @Test
    void intervalsKidAndControlsAreWrittenAndControlsAreNeverRanked() throws Exception {
        org.parisjava.eval.BootstrapInterval fd = new org.parisjava.eval.BootstrapInterval(4.0, 3.5, 4.75, 0.95, 200);
        org.parisjava.eval.BootstrapInterval kid = new org.parisjava.eval.BootstrapInterval(0.012, 0.01, 0.015, 0.95, 200);
        org.parisjava.eval.BootstrapInterval zero = new org.parisjava.eval.BootstrapInterval(0.0001, -0.002, 0.003, 0.95, 200);
        ResultsTable t = new ResultsTable()
                .add(new ResultsTable.Row("top-2", 4.0, Double.NaN, 4, 0.2, fd, kid, 0.6, 0.5))
                .addControl(new ResultsTable.Row("real (held-out)", 0.5, Double.NaN, Double.NaN, Double.NaN, fd, zero,
                        0.9, 0.9))
                .note("Quality in dinov2.");
        assertEquals("top-2,4.0000,3.5000,4.7500,0.012000,0.010000,0.015000,0.6000,0.5000,,4.00,0.2000,22.60,10.31",
                t.toCsv().split("\n")[1]);
        String md = t.toMarkdown();
        assertTrue(md.contains("| top-2 | 4.000 [3.500, 4.750] | not measured |"), md);
        assertTrue(md.contains("| top-2 | 12.00 [10.00, 15.00] | 0.600 | 0.500 | not measured |"), md);
        assertTrue(md.contains("| real (held-out) | 4.000 [3.500, 4.750] | 0.10 [-2.00, 3.00] |"), md);
        assertTrue(md.endsWith("Quality in dinov2.\n"), md);
        assertEquals(List.of("top-2"), t.rankingByFrechetDistance());
        t.write(tmp.resolve("r.csv"), tmp.resolve("r.md"));
        assertEquals(List.of("control,frechet_distance,fd_low,fd_high,kid,kid_low,kid_high,precision,recall,adherence",
                "real (held-out),0.5000,3.5000,4.7500,0.000100,-0.002000,0.003000,0.9000,0.9000,"),
                Files.readAllLines(tmp.resolve("controls.csv")));
    }
}
