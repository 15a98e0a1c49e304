package org.parisjava.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.parisjava.report.PaperNumbers;

/** Figure 6: data and compute, Paris against DDM as published, and this run's own measured compute. */
public final class DataComputeFigure {
    private DataComputeFigure() {
    }

    /**
     * Training images and GPU-days of DDM relative to Paris (Paris = 1), with the absolute numbers in
     * the category labels: the "14x less data, 16x less compute" claim at a glance.
     */
    public static CategoryChart paperChart() {
        PaperNumbers.System paris = PaperNumbers.PARIS;
        PaperNumbers.System ddm = PaperNumbers.DDM;
        CategoryChart chart = new CategoryChartBuilder().width(700).height(450)
                .title(String.format(java.util.Locale.ROOT, "Paris vs DDM: %.1fx less data, %.1fx less compute",
                        PaperNumbers.dataRatio(), PaperNumbers.computeRatio()))
                .yAxisTitle("relative to Paris (Paris = 1)").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setLabelsVisible(true);
        st.setDecimalPattern("0.0");
        List<String> cats = List.of(
                String.format(java.util.Locale.ROOT, "training images (%.0fM vs %.0fM)",
                        paris.trainingImagesMillions(), ddm.trainingImagesMillions()),
                String.format(java.util.Locale.ROOT, "GPU-days (%.0f vs %.0f)", paris.gpuDays(), ddm.gpuDays()));
        chart.addSeries(paris.name(), cats, List.of(1.0, 1.0));
        chart.addSeries(ddm.name(), cats, List.of(PaperNumbers.dataRatio(), PaperNumbers.computeRatio()));
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
