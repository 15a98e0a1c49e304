package org.parisjava.viz;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** Figure 3b: the router's confusion matrix, true cluster by predicted cluster, row-normalized. */
public final class ConfusionMatrixFigure {
    private ConfusionMatrixFigure() {
    }

    /** @param counts counts[true][predicted] */
    public static HeatMapChart chart(long[][] counts, String title) {
        int k = counts.length;
        int[] axis = new int[k];
        int[][] cells = new int[k * k][];
        for (int i = 0; i < k; i++) {
            axis[i] = i;
            if (counts[i].length != k) {
                throw new IllegalArgumentException("Confusion matrix must be square: row " + i + " has "
                        + counts[i].length + " columns, expected " + k);
            }
            long row = 0;
            for (long c : counts[i]) {
                row += c;
            }
            for (int j = 0; j < k; j++) {
                int pct = row == 0 ? 0 : (int) Math.round(100.0 * counts[i][j] / row);
                cells[i * k + j] = new int[] {j, i, pct};
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(600).height(520).title(title)
                .xAxisTitle("predicted cluster").yAxisTitle("true cluster").build();
        var st = chart.getStyler();
        st.setShowValue(true);
        st.setMin(0);
        st.setMax(100);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setLegendVisible(false);
        st.setRangeColors(new java.awt.Color[] {
            new java.awt.Color(247, 251, 255), new java.awt.Color(107, 174, 214), new java.awt.Color(8, 48, 107)});
        java.util.List<Number[]> heat = new java.util.ArrayList<>();
        for (int[] c : cells) {
            heat.add(new Number[] {c[0], c[1], c[2]});
        }
        java.util.List<Integer> xs = new java.util.ArrayList<>();
        for (int a : axis) {
            xs.add(a);
        }
        chart.addSeries("% of true cluster", xs, xs, heat);
        return chart;
    }
}
