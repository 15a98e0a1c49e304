package org.parisjava.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.parisjava.data.ImageU8;
import org.parisjava.io.AtomicFiles;

/**
 * A grid of images as one PNG, for cluster samples, sampler outputs and notebooks. Immutable:
 * configure with the {@code withX} methods, then {@link #render()}, {@link #toPng()} or
 * {@link #writePng(Path)}.
 *
 * <pre>{@code
 * ImageGrid.of(images).withColumns(8).withScale(4).withRowLabels(List.of("top-1", "top-2")).writePng(out);
 * }</pre>
 *
 * <p>Images are upscaled by an integer factor with nearest-neighbour sampling, so a 16x16 sample
 * stays crisp instead of blurred. Cells take the size of the largest image; smaller ones sit in
 * the top-left of their cell. Cell labels go under each cell, row labels to the left of each row;
 * text wider than its space is cut with an ellipsis.
 */
public final class ImageGrid {
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final List<ImageU8> images;
    private final int columns;
    private final int scale;
    private final int padding;
    private final List<String> cellLabels;
    private final List<String> rowLabels;
    private final Color background;

    private ImageGrid(List<ImageU8> images, int columns, int scale, int padding, List<String> cellLabels,
                      List<String> rowLabels, Color background) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("An image grid needs at least one image");
        }
        if (columns < 1 || scale < 1 || padding < 0) {
            throw new IllegalArgumentException("Invalid grid layout: columns " + columns + ", scale " + scale
                    + ", padding " + padding + " (expected columns >= 1, scale >= 1, padding >= 0)");
        }
        int rows = (images.size() + columns - 1) / columns;
        if (cellLabels != null && cellLabels.size() != images.size()) {
            throw new IllegalArgumentException(cellLabels.size() + " cell labels for " + images.size() + " images");
        }
        if (rowLabels != null && rowLabels.size() != rows) {
            throw new IllegalArgumentException(rowLabels.size() + " row labels for " + rows + " rows ("
                    + images.size() + " images in " + columns + " columns)");
        }
        this.images = images;
        this.columns = columns;
        this.scale = scale;
        this.padding = padding;
        this.cellLabels = cellLabels;
        this.rowLabels = rowLabels;
        this.background = background;
    }

    /** A grid of {@code images} in rows of at most 8, scale 1, padding 2, no labels, white background. */
    public static ImageGrid of(List<ImageU8> images) {
        List<ImageU8> copy = List.copyOf(images);
        return new ImageGrid(copy, Math.min(8, Math.max(1, copy.size())), 1, 2, null, null, Color.WHITE);
    }

    public ImageGrid withColumns(int n) {
        return new ImageGrid(images, n, scale, padding, cellLabels, rowLabels, background);
    }

    /** Integer upscale factor (nearest neighbour). */
    public ImageGrid withScale(int factor) {
        return new ImageGrid(images, columns, factor, padding, cellLabels, rowLabels, background);
    }

    /** Pixels between cells and around the grid. */
    public ImageGrid withPadding(int pixels) {
        return new ImageGrid(images, columns, scale, pixels, cellLabels, rowLabels, background);
    }

    /** One label per image, drawn under its cell; null removes them. */
    public ImageGrid withCellLabels(List<String> labels) {
        return new ImageGrid(images, columns, scale, padding, labels == null ? null : List.copyOf(labels), rowLabels, background);
    }

    /** One label per row, drawn to its left; null removes them. */
    public ImageGrid withRowLabels(List<String> labels) {
        return new ImageGrid(images, columns, scale, padding, cellLabels, labels == null ? null : List.copyOf(labels), background);
    }

    public ImageGrid withBackground(Color color) {
        return new ImageGrid(images, columns, scale, padding, cellLabels, rowLabels, color);
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return (images.size() + columns - 1) / columns;
    }

    public BufferedImage render() {
        int cellW = images.stream().mapToInt(ImageU8::width).max().orElseThrow() * scale;
        int cellH = images.stream().mapToInt(ImageU8::height).max().orElseThrow() * scale;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(FONT);
        pg.dispose();
        int labelH = cellLabels == null ? 0 : fm.getHeight() + 2;
        int rowLabelW = 0;
        if (rowLabels != null) {
            for (String s : rowLabels) {
                rowLabelW = Math.max(rowLabelW, fm.stringWidth(s == null ? "" : s));
            }
            rowLabelW = Math.min(rowLabelW, 200) + padding + 4;
        }
        int rows = rows();
        int width = rowLabelW + padding + columns * (cellW + padding);
        int height = padding + rows * (cellH + labelH + padding);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(background);
            g.fillRect(0, 0, width, height);
            g.setFont(FONT);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            Color text = textColor();
            for (int i = 0; i < images.size(); i++) {
                int r = i / columns;
                int c = i % columns;
                int x = rowLabelW + padding + c * (cellW + padding);
                int y = padding + r * (cellH + labelH + padding);
                ImageU8 img = images.get(i);
                g.drawImage(img.toBufferedImage(), x, y, img.width() * scale, img.height() * scale, null);
                if (cellLabels != null) {
                    g.setColor(text);
                    g.drawString(fit(cellLabels.get(i), cellW, fm), x, y + cellH + fm.getAscent() + 1);
                }
            }
            if (rowLabels != null) {
                g.setColor(text);
                for (int r = 0; r < rows; r++) {
                    int y = padding + r * (cellH + labelH + padding) + cellH / 2 + fm.getAscent() / 2;
                    g.drawString(fit(rowLabels.get(r), rowLabelW - padding - 4, fm), padding, y);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private Color textColor() {
        double luminance = 0.299 * background.getRed() + 0.587 * background.getGreen() + 0.114 * background.getBlue();
        return luminance > 128 ? Color.BLACK : Color.WHITE;
    }

    private static String fit(String s, int width, FontMetrics fm) {
        if (s == null) {
            return "";
        }
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String ell = "\u2026";
        int n = s.length();
        while (n > 0 && fm.stringWidth(s.substring(0, n) + ell) > width) {
            n--;
        }
        return n == 0 ? "" : s.substring(0, n) + ell;
    }

    /** The rendered grid as PNG bytes (for notebooks and renderers). */
    public byte[] toPng() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(), "png", bytes)) {
                throw new IllegalStateException("No PNG writer available in ImageIO");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode grid as PNG", e);
        }
        return bytes.toByteArray();
    }

    /** Writes the grid as a PNG, atomically: a reader never sees half a file. */
    public void writePng(Path file) {
        AtomicFiles.writeBytes(file, toPng());
    }
}
