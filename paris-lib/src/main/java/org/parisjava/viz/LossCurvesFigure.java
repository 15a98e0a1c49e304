package org.parisjava.viz;

import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figure 2: the training loss of every isolated expert and of the monolith against the number of
 * training images each has seen, so that models trained with different batch sizes compare.
 */
public final class LossCurvesFigure {
    private LossCurvesFigure() {
    }

    /**
     * @param curves   series name (e.g. "expert 3", "monolith") -> {images seen, loss} columns
     * @param smoothing exponential moving average factor in [0, 1) applied for readability (0 = raw)
     */
    public static XYChart chart(Map<String, double[][]> curves, double smoothing) {
        if (smoothing < 0 || smoothing >= 1) {
            throw new IllegalArgumentException("Invalid smoothing: " + smoothing + " (expected [0, 1))");
        }
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Flow-matching loss of isolated experts and the monolith")
                .xAxisTitle("training images seen").yAxisTitle("loss (EMA " + smoothing + ")").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setYAxisLogarithmic(true);
        st.setMarkerSize(0);
        st.setXAxisDecimalPattern("#,###");
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        curves.forEach((name, xy) -> {
            if (xy.length != 2 || xy[0].length != xy[1].length) {
                throw new IllegalArgumentException("Curve '" + name + "' must be {x[], y[]} of equal length");
            }
            if (xy[0].length == 0) {
                return;
            }
            double[] y = xy[1].clone();
            for (int i = 1; i < y.length; i++) {
                y[i] = smoothing * y[i - 1] + (1 - smoothing) * y[i];
            }
            var s = chart.addSeries(name, xy[0], y);
            s.setMarker(SeriesMarkers.NONE);
            if (name.toLowerCase(java.util.Locale.ROOT).contains("monolith")) {
                s.setLineWidth(3f);
                s.setLineColor(java.awt.Color.BLACK);
            }
        });
        return chart;
    }
}
