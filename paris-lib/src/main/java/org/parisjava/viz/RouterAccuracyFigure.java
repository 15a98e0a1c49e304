package org.parisjava.viz;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figure 3a: router accuracy by timestep. Expected near chance (1/K) at t -> 1, where x_t is
 * almost pure noise, and high at t -> 0, where x_t is almost the data.
 */
public final class RouterAccuracyFigure {
    private RouterAccuracyFigure() {
    }

    /** @param binCenters timestep bin centres in [0, 1]; @param accuracy accuracy per bin; @param k experts */
    public static XYChart chart(double[] binCenters, double[] accuracy, int k) {
        if (binCenters.length != accuracy.length || binCenters.length == 0) {
            throw new IllegalArgumentException("Need one accuracy per timestep bin, got " + binCenters.length
                    + " bins and " + accuracy.length + " accuracies");
        }
        XYChart chart = new XYChartBuilder().width(700).height(450).title("Router accuracy by timestep (K = " + k + ")")
                .xAxisTitle("t (0 = data, 1 = noise)").yAxisTitle("top-1 accuracy").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setYAxisMin(0.0);
        st.setYAxisMax(1.0);
        st.setXAxisMin(0.0);
        st.setXAxisMax(1.0);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        chart.addSeries("router", binCenters, accuracy).setMarker(SeriesMarkers.CIRCLE);
        var chance = chart.addSeries("chance (1/K)", new double[] {0, 1}, new double[] {1.0 / k, 1.0 / k});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineStyle(SeriesLines.DASH_DASH);
        chance.setLineColor(java.awt.Color.GRAY);
        return chart;
    }

    /** Adds a second router's accuracy per bin (e.g. the text-aware one beside the text-blind one). */
    public static XYChart withRouter(XYChart chart, String name, double[] binCenters, double[] accuracy) {
        if (binCenters.length != accuracy.length || binCenters.length == 0) {
            throw new IllegalArgumentException("Need one accuracy per timestep bin, got " + binCenters.length
                    + " bins and " + accuracy.length + " accuracies");
        }
        chart.addSeries(name, binCenters, accuracy).setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }
}
