package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    @TempDir
    Path tmp;

    /** A w x h image: left half red, right half blue, so a centre crop keeps both halves. */
    static byte[] png(int w, int h, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private Path folderWithCorruptPng() throws IOException {
        Files.write(tmp.resolve("a.png"), png(64, 64, "png"));
        Files.write(tmp.resolve("b.jpg"), png(80, 40, "jpg"));
        byte[] good = png(32, 32, "png");
        Files.write(tmp.resolve("broken.png"), java.util.Arrays.copyOf(good, good.length / 3));
        Files.write(tmp.resolve("c.png"), png(16, 16, "png"));
        Files.writeString(tmp.resolve("captions.tsv"), "# file\tcaption\na.png\ta red and blue square\n"
                + "b.jpg\ta wide picture\nbroken.png\tthis one is damaged\n\nc.png\ta small one\n");
        return tmp;
    }

    @Test
    void captionsFileOrderResizeAndColours() throws IOException {
        folderWithCorruptPng();
        Files.delete(tmp.resolve("broken.png"));
        Files.writeString(tmp.resolve("captions.tsv"), "a.png\ta red and blue square\nb.jpg\ta wide picture\nc.png\ta small one\n");
        ImageFolderDataset d = new ImageFolderDataset(tmp, new ImageSpec(3, 32, 32));
        List<Sample> all = d.stream().toList();
        assertEquals(List.of("a.png", "b.jpg", "c.png"), all.stream().map(Sample::id).toList());
        assertEquals("a wide picture", all.get(1).caption());
        for (Sample s : all) {
            ImageU8 img = s.image();
            assertEquals(32, img.width());
            // Left quarter red, right quarter blue: the centre crop kept both halves.
            assertTrue(img.get(0, 16, 4) > 200 && img.get(2, 16, 4) < 60, s.id() + " left is not red");
            assertTrue(img.get(2, 16, 28) > 200 && img.get(0, 16, 28) < 60, s.id() + " right is not blue");
        }
    }

    @Test
    void corruptPngFailsNamingItOrIsSkippedAndCounted() throws IOException {
        folderWithCorruptPng();
        ImageFolderDataset failing = new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16));
        CorruptSampleException e = assertThrows(CorruptSampleException.class, () -> failing.stream().toList());
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        assertEquals("broken.png", e.sampleId());

        SkipStats stats = new SkipStats();
        ImageFolderDataset skipping = new ImageFolderDataset(tmp, new ImageSpec(1, 16, 16), 0, ErrorPolicy.SKIP, stats);
        List<Sample> all = skipping.stream().toList();
        assertEquals(List.of("a.png", "b.jpg", "c.png"), all.stream().map(Sample::id).toList());
        assertEquals(1, stats.skipped());
        assertTrue(stats.examples().get(0).contains("broken.png"));
        // A second pass over the same data does not count the same sample twice.
        assertEquals(3, skipping.stream().count());
        assertEquals(1, stats.skipped());
        assertEquals(1, all.get(0).image().channels());

        // A file listed in captions.tsv but absent is a corrupt sample too, named.
        Files.writeString(tmp.resolve("captions.tsv"), "a.png\tok\nmissing.png\tgone\n");
        CorruptSampleException gone = assertThrows(CorruptSampleException.class,
                () -> new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16)).stream().toList());
        assertTrue(gone.getMessage().contains("missing.png"), gone.getMessage());
    }

    @Test
    void sidecarCaptionsWhenThereIsNoCaptionsFile() throws IOException {
        Files.write(tmp.resolve("x.png"), png(20, 20, "png"));
        Files.writeString(tmp.resolve("x.txt"), "  a picture with a sidecar \n");
        Files.write(tmp.resolve("y.png"), png(20, 20, "png"));
        Files.writeString(tmp.resolve("notes.md"), "not an image");
        ImageFolderDataset d = new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16), 0, ErrorPolicy.FAIL, new SkipStats());
        assertEquals(2, d.size().getAsLong());
        List<Sample> all = d.stream().toList();
        assertEquals("a picture with a sidecar", all.get(0).caption());
        assertEquals("", all.get(1).caption());
    }

    @Test
    void badCaptionsLineAndMissingFolderAreNamed() throws IOException {
        Files.writeString(tmp.resolve("captions.tsv"), "a.png\tok\nno tab here\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16)));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderDataset(tmp.resolve("absent"), new ImageSpec(3, 16, 16)));
        assertTrue(missing.getMessage().contains("absent"));
    }
}
