package org.parisjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.internal.chartpart.Chart;

class FiguresTest {
    @TempDir
    Path tmp;

    private static BufferedImage decode(Chart<?, ?> chart) throws Exception {
        byte[] png = ChartFiles.toPng(chart);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(chart.getWidth(), img.getWidth());
        assertEquals(chart.getHeight(), img.getHeight());
        return img;
    }

    @Test
    void everyFigureRendersToPngOfItsSize() throws Exception {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        curves.put("expert 0", new double[][] {{32, 64, 96}, {1.0, 0.8, 0.7}});
        curves.put("monolith", new double[][] {{32, 64, 96}, {1.1, 0.9, 0.75}});
        decode(LossCurvesFigure.chart(curves, 0.5));
        decode(RouterAccuracyFigure.chart(new double[] {0.1, 0.5, 0.9}, new double[] {0.9, 0.6, 0.3}, 4));
        decode(ConfusionMatrixFigure.chart(new long[][] {{5, 1}, {0, 4}}, "confusion"));
        decode(StrategyTradeoffFigure.chart(List.of(new StrategyTradeoffFigure.Point("top-1", 2, 10),
                new StrategyTradeoffFigure.Point("top-2", 4, 8)), "forward passes", "FD"));
        decode(ExpertUsageFigure.chart(new double[] {1.0, 0.5}, new double[][] {{0.5, 0.5}, {0.9, 0.1}}, "top-2"));
        var paper = DataComputeFigure.paperChart(new DataComputeFigure.Bar("Paris", 11, 72),
                new DataComputeFigure.Bar("DDM", 158, 1176));
        assertEquals("Paris vs DDM: 14.4x less data, 16.3x less compute", paper.getTitle());
        decode(paper);
        decode(DataComputeFigure.runChart(Map.of("expert 0", 12.0, "monolith", 40.0)));

        Path file = tmp.resolve("fig.png");
        ChartFiles.writePng(paper, file);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(file), 4);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
    }

    @Test
    void confusionCellsAreRowPercentages() throws Exception {
        var chart = ConfusionMatrixFigure.chart(new long[][] {{3, 1}, {0, 0}}, "c");
        java.util.List<Number[]> heat = new java.util.ArrayList<>();
        for (Object o : chart.getHeatMapSeries().getHeatData()) {
            heat.add((Number[]) o);
        }
        // row 0 (true cluster 0): 75% predicted 0, 25% predicted 1; an empty row stays 0
        assertTrue(heat.stream().anyMatch(c -> c[0].intValue() == 0 && c[1].intValue() == 0 && c[2].intValue() == 75));
        assertTrue(heat.stream().anyMatch(c -> c[0].intValue() == 1 && c[1].intValue() == 0 && c[2].intValue() == 25));
        assertTrue(heat.stream().anyMatch(c -> c[1].intValue() == 1 && c[2].intValue() == 0));
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RouterAccuracyFigure.chart(new double[] {0.1}, new double[] {0.9, 0.8}, 2));
        assertTrue(e.getMessage().contains("bin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixFigure.chart(new long[][] {{1, 2}, {3}}, "c"));
        assertThrows(IllegalArgumentException.class,
                () -> ExpertUsageFigure.chart(new double[] {1.0, 0.5}, new double[][] {{1, 0}, {1}}, "x"));
        assertThrows(IllegalArgumentException.class, () -> LossCurvesFigure.chart(Map.of(), 1.0));
    }
}
