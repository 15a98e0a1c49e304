package org.parisjava.viz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.parisjava.io.AtomicFiles;

/** Renders XChart charts to PNG bytes or files (headless; files written atomically). */
public final class ChartFiles {
    private ChartFiles() {
    }

    public static byte[] toPng(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot render chart '" + chart.getTitle() + "'", e);
        }
    }

    public static void writePng(Chart<?, ?> chart, Path file) {
        AtomicFiles.writeBytes(file, toPng(chart));
    }
}
