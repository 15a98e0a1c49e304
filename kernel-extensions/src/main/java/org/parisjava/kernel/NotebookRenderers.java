package org.parisjava.kernel;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.parisjava.viz.ImageGrid;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

/**
 * The renderers {@link ParisExtension} registers: XChart charts, image grids and images as PNG, Tablesaw tables
 * as HTML. Each also gives a one-line text/plain form, which is what a text-only front end shows.
 */
final class NotebookRenderers {
    /** Tables longer than this show their first rows only, and say so. */
    static final int MAX_TABLE_ROWS = 100;

    private NotebookRenderers() {
    }

    static void registerAll(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> base64(chartPng(chart)));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chart.getClass().getSimpleName()
                            + " '" + chart.getTitle() + "' " + chart.getWidth() + "x" + chart.getHeight());
                });
        renderer.createRegistration(BufferedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((image, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> base64(png(image)));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN,
                            () -> "BufferedImage " + image.getWidth() + "x" + image.getHeight());
                });
        renderer.createRegistration(ImageGrid.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((grid, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> base64(grid.toPng()));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN,
                            () -> "ImageGrid " + grid.rows() + "x" + grid.columns());
                });
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.printAll());
                });
    }

    static byte[] chartPng(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render chart '" + chart.getTitle() + "' as PNG", e);
        }
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + image.getWidth() + "x" + image.getHeight()
                    + " image as PNG", e);
        }
        return out.toByteArray();
    }

    static String html(Table table) {
        Table shown = table.rowCount() > MAX_TABLE_ROWS ? table.first(MAX_TABLE_ROWS) : table;
        StringWriter w = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(w).build());
        String note = shown == table ? "" : "<p>first " + MAX_TABLE_ROWS + " of " + table.rowCount() + " rows</p>";
        String title = table.name() == null || table.name().isBlank() ? "" : "<p><b>" + escape(table.name()) + "</b></p>";
        return title + w + note;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
