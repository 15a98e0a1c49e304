package org.parisjava.viz;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Figure 4: inference strategies, quality against cost. One point per strategy (monolith, top-1,
 * top-2, full, oracle...): Frechet distance (lower is better) against expert forward passes per image.
 */
public final class StrategyTradeoffFigure {
    private StrategyTradeoffFigure() {
    }

    /** One strategy's point. */
    public record Point(String strategy, double cost, double frechetDistance) {
    }

    public static XYChart chart(List<Point> points, String costLabel, String qualityLabel) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("No strategies to plot");
        }
        XYChart chart = new XYChartBuilder().width(750).height(480).title("Inference strategies: quality against cost")
                .xAxisTitle(costLabel).yAxisTitle(qualityLabel + " (lower is better)").build();
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setMarkerSize(12);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        for (Point p : points) {
            chart.addSeries(p.strategy(), new double[] {p.cost()}, new double[] {p.frechetDistance()});
        }
        return chart;
    }
}
