package org.parisjava.viz;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Figure 5: which experts the router uses along the sampling trajectory: for each sampling step
 * (t from 1 down to 0), the mean routing weight of every expert, stacked to 1.
 */
public final class ExpertUsageFigure {
    private ExpertUsageFigure() {
    }

    /** The figure of one sampling run's usage trace: the mean weight of each expert at each step. */
    public static CategoryChart chart(org.parisjava.infer.ExpertUsage usage, String strategy) {
        List<org.parisjava.infer.ExpertUsage.Step> steps = usage.steps();
        double[] t = new double[steps.size()];
        double[][] w = new double[steps.size()][usage.experts()];
        for (int s = 0; s < t.length; s++) {
            t[s] = steps.get(s).t();
            for (int k = 0; k < usage.experts(); k++) {
                w[s][k] = steps.get(s).meanWeight(k, usage.images());
            }
        }
        return chart(t, w, strategy);
    }

    /**
     * @param timesteps t at each sampling step, in sampling order
     * @param weights   weights[step][expert], mean over the generated images
     */
    public static CategoryChart chart(double[] timesteps, double[][] weights, String strategy) {
        if (timesteps.length != weights.length || weights.length == 0) {
            throw new IllegalArgumentException("Need one weight row per sampling step: " + timesteps.length
                    + " steps, " + weights.length + " rows");
        }
        int k = weights[0].length;
        CategoryChart chart = new CategoryChartBuilder().width(850).height(450)
                .title("Expert usage along the sampling trajectory (" + strategy + ")")
                .xAxisTitle("t at the sampling step (1 = noise -> 0 = data)").yAxisTitle("mean routing weight").build();
        var st = chart.getStyler();
        st.setStacked(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setYAxisMax(1.0);
        st.setYAxisMin(0.0);
        st.setOverlapped(false);
        st.setAvailableSpaceFill(0.95);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setXAxisLabelRotation(90);
        List<String> xs = new ArrayList<>();
        for (double t : timesteps) {
            xs.add(String.format(java.util.Locale.ROOT, "%.2f", t));
        }
        for (int e = 0; e < k; e++) {
            List<Double> ys = new ArrayList<>();
            for (double[] row : weights) {
                if (row.length != k) {
                    throw new IllegalArgumentException("Ragged usage matrix: a row has " + row.length + " experts, expected " + k);
                }
                ys.add(row[e]);
            }
            chart.addSeries("expert " + e, xs, ys);
        }
        return chart;
    }
}
