package org.parisjava.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ClusterCompositionTest {

    private static ClusterComposition example() {
        // cluster 0: 3 circles (red, red, blue); cluster 1: 1 circle + 3 squares (all green)
        int[] a = {0, 0, 0, 1, 1, 1, 1};
        List<Map<String, String>> attrs = List.of(
                Map.of("shape", "circle", "colour", "red"), Map.of("shape", "circle", "colour", "red"),
                Map.of("shape", "circle", "colour", "blue"), Map.of("shape", "circle", "colour", "green"),
                Map.of("shape", "square", "colour", "green"), Map.of("shape", "square", "colour", "green"),
                Map.of("shape", "square", "colour", "green"));
        return ClusterComposition.of(2, a, attrs, List.of("shape", "colour"));
    }

    /**
     * The chart warm-up runs on a daemon thread of its own (a JVM can exit under it), ends, and leaves a chart
     * drawn after it the same picture as one drawn before it.
     */
    @Test
    void chartWarmUpRunsApartAndChangesNoChart(@TempDir Path dir) throws Exception {
        Path before = dir.resolve("before.png");
        example().writeChartPng(before, "shape");
        ClusterComposition.warmUpChartsInBackground();
        Thread warm = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("paris-chart-warmup")).findFirst().orElse(null);
        if (warm != null) { // null: it has already ended
            assertTrue(warm.isDaemon());
            warm.join(60_000);
            assertTrue(!warm.isAlive(), "the warm-up ended");
        }
        Path after = dir.resolve("after.png");
        example().writeChartPng(after, "shape");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(before), Files.readAllBytes(after)));
    }

    @Test
    void purityCountsAndBestAttribute() {
        ClusterComposition c = example();
        assertEquals(7, c.total());
        assertEquals(6.0 / 7, c.purity("shape"), 1e-12); // 3 circles + 3 squares
        assertEquals(6.0 / 7, c.purity("colour"), 1e-12); // 2 red + 4 green
        assertEquals(4.0 / 7, c.baselinePurity("shape"), 1e-12);
        assertEquals(4.0 / 7, c.baselinePurity("colour"), 1e-12);
        assertEquals("square", c.majority(1, "shape").orElseThrow());
        assertEquals(0.75, c.purity(1, "shape"), 1e-12);
        assertEquals(Map.of("blue", 1L, "red", 2L), c.counts(0, "colour"));
    }

    @Test
    void tableCountsSumToNAndFilesAreWritten(@TempDir Path dir) throws Exception {
        ClusterComposition c = example();
        Table t = c.table();
        for (String a : c.attributeNames()) {
            long sum = 0;
            for (int r = 0; r < t.rowCount(); r++) {
                if (t.stringColumn("attribute").get(r).equals(a)) {
                    sum += t.longColumn("count").get(r);
                }
            }
            assertEquals(c.total(), sum, a);
        }
        Table s = c.summary();
        assertEquals(2, s.rowCount());
        assertEquals(7L, s.longColumn("size").sum(), 0);
        writeCsv(t, dir.resolve("composition.csv"));
        List<String> lines = Files.readAllLines(dir.resolve("composition.csv"));
        assertEquals("cluster,attribute,value,count,fraction", lines.get(0));
        assertEquals(1 + t.rowCount(), lines.size());
        c.writeChartPng(dir.resolve("composition.png"), "shape");
        byte[] png = Files.readAllBytes(dir.resolve("composition.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        assertEquals(3, c.chart("colour").getSeriesCollection().size());
    }

    @Test
    void csvFilesAreTheTextTablesawWrites(@TempDir Path dir) throws Exception {
        // values that need quoting, a fraction with many digits, and an empty third cluster (NaN purity); the
        // differences from Tablesaw's writer are tested below: a quote inside a value (quoted and doubled here, RFC
        // 4180, bare in Tablesaw's) and surrounding spaces (kept here, trimmed by Tablesaw's)
        int[] a = {0, 0, 0, 1, 1, 1, 1};
        List<Map<String, String>> attrs = List.of(
                Map.of("label", "a, b", "caption", "say hi"), Map.of("label", "a, b", "caption", "plain"),
                Map.of("label", "c", "caption", "two\nlines"), Map.of("label", "c", "caption", "plain"),
                Map.of("label", "c", "caption", "plain"), Map.of("label", "a, b", "caption", "plain"),
                Map.of("label", "c", "caption", "x"));
        for (ClusterComposition c : List.of(example(), ClusterComposition.of(3, a, attrs, List.of("label", "caption")))) {
            writeCsv(c.table(), dir.resolve("table-tablesaw.csv"));
            c.writeTableCsv(dir.resolve("table.csv"));
            assertEquals(Files.readString(dir.resolve("table-tablesaw.csv")), Files.readString(dir.resolve("table.csv")));
            writeCsv(c.summary(), dir.resolve("summary-tablesaw.csv"));
            c.writeSummaryCsv(dir.resolve("summary.csv"));
            assertEquals(Files.readString(dir.resolve("summary-tablesaw.csv")), Files.readString(dir.resolve("summary.csv")));
        }
    }

    @Test
    void aValueWithAQuoteIsQuotedAndTheQuoteDoubled(@TempDir Path dir) throws Exception {
        ClusterComposition c = ClusterComposition.of(1, new int[]{0}, List.of(Map.of("caption", "say \"hi\"")),
                List.of("caption"));
        c.writeTableCsv(dir.resolve("table.csv"));
        assertEquals(List.of("cluster,attribute,value,count,fraction", "0,caption,\"say \"\"hi\"\"\",1,1.0"),
                Files.readAllLines(dir.resolve("table.csv")));
        ClusterComposition spaced = ClusterComposition.of(1, new int[]{0}, List.of(Map.of(" label", " lead ")),
                List.of(" label"));
        spaced.writeTableCsv(dir.resolve("spaced.csv"));
        assertEquals(List.of("cluster,attribute,value,count,fraction", "0, label, lead ,1,1.0"),
                Files.readAllLines(dir.resolve("spaced.csv")));
        spaced.writeSummaryCsv(dir.resolve("spaced-summary.csv"));
        assertEquals("cluster,size, label_majority, label_purity",
                Files.readAllLines(dir.resolve("spaced-summary.csv")).get(0));
    }

    /** Tablesaw's own CSV writer: what composition.csv and clusters.csv were before they were written by hand. */
    private static void writeCsv(Table table, Path file) throws java.io.IOException {
        try (java.io.Writer w = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
            table.write().csv(w);
        }
    }
}
