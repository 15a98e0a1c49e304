package org.parisjava.viz;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Figure 4 over several seeds: one bar per strategy at its mean over the seeds, with the 95% t-interval of
 * that mean as an error bar. Two strategies are told apart only where their bars' intervals do not overlap
 * (the seeds sweep's verdict).
 */
public final class SeedIntervalsFigure {
    private SeedIntervalsFigure() {
    }

    /**
     * One strategy's bar.
     *
     * @param strategy  the strategy's name (as in the results table)
     * @param mean      the mean over the seeds
     * @param halfWidth half the width of the symmetric interval of the mean; 0 when there is none (one seed)
     */
    public record Bar(String strategy, double mean, double halfWidth) {
        public Bar {
            if (!Double.isFinite(mean) || !(halfWidth >= 0) || Double.isInfinite(halfWidth)) {
                throw new IllegalArgumentException("Invalid bar for '" + strategy + "': mean " + mean
                        + ", half-width " + halfWidth);
            }
        }
    }

    /**
     * @param title  the chart's title
     * @param metric the y axis: the metric's name and which way is better
     * @param bars   one per strategy, in the table's order
     * @throws IllegalArgumentException for no bars
     */
    public static CategoryChart chart(String title, String metric, List<Bar> bars) {
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("No strategies to plot");
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(460).title(title).xAxisTitle("strategy")
                .yAxisTitle(metric).build();
        var st = chart.getStyler();
        st.setLegendVisible(false);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setXAxisLabelRotation(20);
        st.setErrorBarsColorSeriesColor(false);
        st.setErrorBarsColor(java.awt.Color.BLACK);
        List<String> names = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (Bar b : bars) {
            names.add(b.strategy());
            means.add(b.mean());
            errors.add(b.halfWidth());
        }
        chart.addSeries("mean and 95% interval", names, means, errors);
        return chart;
    }
}
