package org.parisjava.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Figure 6: data and compute of two systems as published (Paris against DDM), and a run's own measured compute. */
public final class DataComputeFigure {
    private DataComputeFigure() {
    }

    /**
     * One system's training data and compute, as published.
     *
     * @param name                   the system, e.g. "Paris"
     * @param trainingImagesMillions training images, in millions
     * @param gpuDays                training compute, in GPU-days
     */
    public record Bar(String name, double trainingImagesMillions, double gpuDays) {
        public Bar {
            if (!(trainingImagesMillions > 0) || !(gpuDays > 0)) {
                throw new IllegalArgumentException("Invalid data or compute for " + name + ": "
                        + trainingImagesMillions + "M images, " + gpuDays + " GPU-days");
            }
        }
    }

    /**
     * Training images and GPU-days of {@code other} relative to {@code base} (base = 1), with the
     * absolute numbers in the category labels. With Paris as base and DDM as other, the "14x less
     * data, 16x less compute" claim at a glance.
     */
    public static CategoryChart paperChart(Bar base, Bar other) {
        double dataRatio = other.trainingImagesMillions() / base.trainingImagesMillions();
        double computeRatio = other.gpuDays() / base.gpuDays();
        CategoryChart chart = new CategoryChartBuilder().width(700).height(450)
                .title(String.format(java.util.Locale.ROOT, "%s vs %s: %.1fx less data, %.1fx less compute",
                        base.name(), other.name(), dataRatio, computeRatio))
                .yAxisTitle("relative to " + base.name() + " (" + base.name() + " = 1)").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setLabelsVisible(true);
        st.setDecimalPattern("0.0");
        List<String> cats = List.of(
                String.format(java.util.Locale.ROOT, "training images (%.0fM vs %.0fM)",
                        base.trainingImagesMillions(), other.trainingImagesMillions()),
                String.format(java.util.Locale.ROOT, "GPU-days (%.0f vs %.0f)", base.gpuDays(), other.gpuDays()));
        chart.addSeries(base.name(), cats, List.of(1.0, 1.0));
        chart.addSeries(other.name(), cats, List.of(dataRatio, computeRatio));
        return chart;
    }

    /** This run's measured compute per trained model, in core-seconds (wall seconds x threads). */
    public static CategoryChart runChart(Map<String, Double> coreSecondsByModel) {
        if (coreSecondsByModel.isEmpty()) {
            throw new IllegalArgumentException("No measured compute to plot");
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450)
                .title("This run: measured training compute per model").yAxisTitle("CPU core-seconds").build();
        var st = chart.getStyler();
        st.setLegendVisible(false);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setXAxisLabelRotation(45);
        st.setLabelsVisible(true);
        st.setDecimalPattern("#,##0");
        chart.addSeries("compute", new ArrayList<>(coreSecondsByModel.keySet()),
                new ArrayList<>(coreSecondsByModel.values()));
        return chart;
    }
}
