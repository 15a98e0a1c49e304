package org.parisjava.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;
import org.parisjava.data.ShapesDataset;

class ImageGridTest {
    @TempDir
    Path tmp;

    private static List<ImageU8> images(int n) {
        ShapesDataset d = new ShapesDataset(n, 16, 2L);
        List<ImageU8> out = new ArrayList<>();
        d.stream().forEach(s -> out.add(s.image()));
        return out;
    }

    @Test
    void dimensionsFollowColumnsScaleAndPadding() {
        BufferedImage img = ImageGrid.of(images(10)).withColumns(4).withScale(3).withPadding(2).render();
        // 4 columns of 48 px with 2 px between and around; 3 rows.
        assertEquals(2 + 4 * (48 + 2), img.getWidth());
        assertEquals(2 + 3 * (48 + 2), img.getHeight());
        assertEquals(3, ImageGrid.of(images(10)).withColumns(4).rows());
    }

    @Test
    void pixelsAreNearestNeighbourCopies() {
        List<ImageU8> imgs = images(2);
        BufferedImage img = ImageGrid.of(imgs).withColumns(2).withScale(2).withPadding(0).render();
        ImageU8 second = imgs.get(1);
        int rgb = img.getRGB(16 * 2 + 2 * 5 + 1, 2 * 7 + 1);
        assertEquals(second.get(0, 7, 5), (rgb >> 16) & 0xFF);
        assertEquals(second.get(2, 7, 5), rgb & 0xFF);
    }

    @Test
    void labelsAddSpaceAndMismatchedCountsAreRejected() {
        List<ImageU8> imgs = images(6);
        BufferedImage plain = ImageGrid.of(imgs).withColumns(3).render();
        BufferedImage labelled = ImageGrid.of(imgs).withColumns(3)
                .withCellLabels(Collections.nCopies(6, "cell"))
                .withRowLabels(List.of("cluster 0", "cluster 1")).render();
        assertTrue(labelled.getWidth() > plain.getWidth());
        assertTrue(labelled.getHeight() > plain.getHeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(imgs).withColumns(3).withRowLabels(List.of("only one")));
        assertTrue(e.getMessage().contains("2 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(imgs).withCellLabels(List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(List.of()));
    }

    @Test
    void pngRoundTripAndAtomicWrite() throws IOException {
        ImageGrid grid = ImageGrid.of(images(5)).withScale(2);
        byte[] png = grid.toPng();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage direct = grid.render();
        assertEquals(direct.getWidth(), back.getWidth());
        assertEquals(direct.getRGB(10, 10), back.getRGB(10, 10));
        Path out = tmp.resolve("sub/grid.png");
        grid.writePng(out);
        assertArrayEquals(png, Files.readAllBytes(out));
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
