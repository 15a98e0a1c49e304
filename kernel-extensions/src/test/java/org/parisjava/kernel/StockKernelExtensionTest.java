package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The extension needs nothing but JJava's {@link BaseKernel}: a kernel that is not ParisKernel (as
 * a stock JJava kernel is not) finds it through ServiceLoader, gets its renderers, and receives the
 * default imports through {@code evalRaw}.
 */
class StockKernelExtensionTest {

    /** A minimal JJava kernel that only records what it is asked to evaluate. */
    static final class RecordingKernel extends BaseKernel {
        final List<String> evaluated = new ArrayList<>();

        RecordingKernel() {
            super("recording", "1", new LanguageInfo("java", "17", "text/x-java-source", ".java", "java", "java", null),
                    List.of(), null, new JupyterIO(java.nio.charset.StandardCharsets.UTF_8), new CommManager(),
                    new Renderer(), null, null, true, new StringStyler.Builder().build());
        }

        void installFrom(String classpath) {
            installExtensions(classpath); // what JJava does with JJAVA_CLASSPATH
        }

        @Override
        public Object evalRaw(String source) {
            evaluated.add(source);
            return null;
        }

        @Override
        public DisplayData inspect(String code, int at, boolean extraDetail) {
            return null;
        }

        @Override
        public ReplacementOptions complete(String code, int at) {
            return null;
        }

        @Override
        public String isComplete(String code) {
            return IS_COMPLETE_MAYBE;
        }
    }

    @Test
    void loadsIntoAnyJJavaKernel() {
        RecordingKernel kernel = new RecordingKernel();
        kernel.onStartup();
        try {
            kernel.installFrom(ParisExtension.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            assertTrue(ParisExtension.isInstalled(kernel));
            assertEquals(1, kernel.evaluated.size(), "default imports evaluated once: " + kernel.evaluated);
            assertTrue(kernel.evaluated.get(0).contains("import org.knowm.xchart.*;"), kernel.evaluated.get(0));
            assertTrue(kernel.evaluated.get(0).contains("import org.parisjava.viz.*;"), kernel.evaluated.get(0));
            XYChart chart = new XYChartBuilder().width(120).height(90).title("c").build();
            chart.addSeries("s", new double[] {0, 1}, new double[] {1, 0});
            DisplayData d = kernel.getRenderer().render(chart);
            assertTrue(d.hasDataForType(MIMEType.IMAGE_PNG));
        } finally {
            kernel.onShutdown(false);
        }
    }
}
