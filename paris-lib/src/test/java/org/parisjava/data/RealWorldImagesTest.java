package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images as they come from cameras, print software and the web: CMYK JPEGs, EXIF orientation,
 * decompression bombs. The files under {@code cases/} are the reported inputs; the rest of each
 * kind is made here.
 */
class RealWorldImagesTest {
    @TempDir
    Path tmp;

    private static List<Sample> read(ImageFolderDataset d) {
        try (Stream<Sample> s = d.stream()) {
            return s.toList();
        }
    }

    private static Sample byId(List<Sample> samples, String id) {
        return samples.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id));
    }

    private static double meanAbsDiff(ImageU8 a, ImageU8 b) {
        assertEquals(a.numel(), b.numel());
        double sum = 0;
        for (int i = 0; i < a.numel(); i++) {
            sum += Math.abs((a.chw()[i] & 0xFF) - (b.chw()[i] & 0xFF));
        }
        return sum / a.numel();
    }

    @Test
    void cmykJpegDecodesToTheRgbPictureItWasMadeFrom() throws IOException {
        List<Sample> all = read(new ImageFolderDataset(TestCases.path("cmyk-jpeg/images"), new ImageSpec(3, 48, 48)));
        assertEquals(64, all.size());
        ImageU8 got = byId(all, "img005.jpg").image();
        ImageU8 expected = ImageU8.fromBufferedImage(ImageIO.read(TestCases.path("cmyk-jpeg/expected-img005.png").toFile()), 3);
        // JPEG's own loss on this picture is a few levels; the wrong (naive CMYK) decoding was 48.
        double err = meanAbsDiff(got, expected);
        assertTrue(err < 4, "mean error " + err + " of 255");
        for (int c = 0; c < 3; c++) {
            assertEquals(10, got.get(c, 10, 10), 4, "the (10,10,10) background, channel " + c);
        }
    }

    /**
     * The case's img005.jpg is YCCK (Adobe transform 2, libjpeg's default for CMYK). The other kind
     * print software writes is plain CMYK, stored inverted as Adobe does, with an APP14 "Adobe"
     * segment of transform 0: made here from the same RGB picture.
     */
    @Test
    void plainAdobeCmykJpegDecodesToTheSameRgb() throws IOException {
        BufferedImage rgb = ImageIO.read(TestCases.path("cmyk-jpeg/expected-img005.png").toFile());
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                // C = 255 - R (and so on), K = 0, each stored inverted: 255 - C = R, 255 - K = 255
                cmyk.setPixel(x, y, new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, 255});
            }
        }
        ImageWriter jdk = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter wr = it.next();
            if (wr.getClass().getName().startsWith("com.sun.imageio")) {
                jdk = wr; // the JDK's writer stores a 4-band raster as 4 components, unconverted
            }
        }
        assertTrue(jdk != null, "the JDK's JPEG writer");
        ImageWriteParam param = jdk.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(jpeg)) {
            jdk.setOutput(ios);
            jdk.write(null, new IIOImage(cmyk, null, null), param);
        } finally {
            jdk.dispose();
        }
        byte[] plain = jpeg.toByteArray();
        ByteArrayOutputStream adobe = new ByteArrayOutputStream();
        adobe.write(plain, 0, 2); // SOI, then APP14: "Adobe", version 100, flags 0 0, transform 0 (CMYK)
        adobe.write(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        adobe.write(plain, 2, plain.length - 2);
        ImageU8 got = ImageDecoder.decode(adobe.toByteArray(), new ImageSpec(3, 48, 48), InputLimits.defaults(), "p.jpg", "p");
        double err = meanAbsDiff(got, ImageU8.fromBufferedImage(rgb, 3));
        assertTrue(err < 2, "mean error " + err + " of 255");
    }

    @Test
    void exifOrientationSixIsTurnedAsViewersShowIt() throws IOException {
        List<Sample> all = read(new ImageFolderDataset(TestCases.path("exif-orientation/images"), new ImageSpec(3, 48, 48)));
        ImageU8 plain = byId(all, "photo0_orient1.jpg").image();
        ImageU8 turned = byId(all, "photo1_orient6.jpg").image();
        for (Sample s : all) {
            assertEquals("red sky on top, blue sea at the bottom", s.caption());
            ImageU8 im = s.image();
            // the caption's claim, on the pixels: the top rows are red, the bottom rows blue
            assertTrue(im.get(0, 2, 24) > 150 && im.get(2, 2, 24) < 100, s.id() + " top is not red");
            assertTrue(im.get(2, 45, 24) > 150 && im.get(0, 45, 24) < 100, s.id() + " bottom is not blue");
        }
        double err = meanAbsDiff(plain, turned);
        assertTrue(err < 6, "the turned photo differs from the plain one by " + err);
    }

    /** A 3 x 2 grid of 8-pixel blocks in six colours: no two of the eight orientations look alike. */
    private static BufferedImage upright() {
        int[] colours = {0xE01010, 0x10E010, 0x1010E0, 0xE0E010, 0x10E0E0, 0xE010E0};
        BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                img.setRGB(x, y, colours[(y / 8) * 3 + x / 8]);
            }
        }
        return img;
    }

    /** What a camera stores for a picture shown upright with orientation o: the inverse turn. */
    private static BufferedImage stored(BufferedImage upright, int o) {
        int inverse = o == 6 ? 8 : o == 8 ? 6 : o; // 2, 3, 4, 5 and 7 undo themselves
        return ExifOrientation.apply(upright, inverse);
    }

    /** A minimal big-endian TIFF structure holding one IFD with the Orientation tag. */
    private static byte[] exifTiff(int o) {
        ByteBuffer b = ByteBuffer.allocate(26);
        b.put(new byte[] {'M', 'M', 0, 42}).putInt(8); // header, IFD0 at offset 8
        b.putShort((short) 1); // one entry
        b.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) o).putShort((short) 0); // SHORT
        b.putInt(0); // no next IFD
        return b.array();
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    /** A JPEG with an APP1 "Exif" segment right after its start-of-image marker. */
    static byte[] jpegWithOrientation(BufferedImage img, int o) throws IOException {
        byte[] jpeg = encode(img, "jpg");
        byte[] tiff = exifTiff(o);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        int len = 2 + 6 + tiff.length;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG with an eXIf chunk right after IHDR (PNG 1.5 extensions). */
    static byte[] pngWithOrientation(BufferedImage img, int o) throws IOException {
        byte[] png = encode(img, "png");
        byte[] tiff = exifTiff(o);
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        byte[] type = "eXIf".getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(tiff);
        ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length).putInt(tiff.length).put(type).put(tiff)
                .putInt((int) crc.getValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        out.write(chunk.array());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static void assertSamePixels(BufferedImage want, BufferedImage got, int tolerance, String what) {
        assertEquals(want.getWidth(), got.getWidth(), what + " width");
        assertEquals(want.getHeight(), got.getHeight(), what + " height");
        // block centres only: JPEG smears colour across block edges
        for (int y = 4; y < want.getHeight(); y += 8) {
            for (int x = 4; x < want.getWidth(); x += 8) {
                int a = want.getRGB(x, y);
                int b = got.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF));
                    assertTrue(d <= tolerance, what + " at (" + x + "," + y + "): " + Integer.toHexString(a)
                            + " vs " + Integer.toHexString(b));
                }
            }
        }
    }

    @Test
    void allEightOrientationsReadFromJpegAndPngAndTurnedUpright() throws IOException {
        BufferedImage up = upright();
        for (int o = 1; o <= 8; o++) {
            BufferedImage st = stored(up, o);
            assertEquals(o >= 5 ? 16 : 24, st.getWidth(), "stored width for " + o);
            byte[] png = pngWithOrientation(st, o);
            assertEquals(o, ExifOrientation.read(png), "PNG eXIf orientation");
            assertSamePixels(up, ExifOrientation.apply(ImageIO.read(new java.io.ByteArrayInputStream(png)), o), 0,
                    "PNG orientation " + o);
            byte[] jpeg = jpegWithOrientation(st, o);
            assertEquals(o, ExifOrientation.read(jpeg), "JPEG Exif orientation");
            assertSamePixels(up, ExifOrientation.apply(ImageIO.read(new java.io.ByteArrayInputStream(jpeg)), o), 24,
                    "JPEG orientation " + o);
        }
        // no EXIF, or damaged EXIF: shown as stored
        assertEquals(1, ExifOrientation.read(encode(up, "png")));
        byte[] broken = jpegWithOrientation(up, 6);
        broken[2 + 10] = 'X'; // "MM" byte order mark of the TIFF header destroyed
        assertEquals(1, ExifOrientation.read(broken));
        assertThrows(IllegalArgumentException.class, () -> ExifOrientation.apply(up, 9));
    }

    @Test
    void decoderAppliesOrientationBeforeTheSquareCrop() throws IOException {
        // Stored sideways (16 wide, 24 tall) with orientation 8: upright it is 24 x 16, and the
        // centre crop keeps the middle 16 columns: blocks 1 and 4 whole, half of the others.
        BufferedImage up = upright();
        ImageSpec spec = new ImageSpec(3, 16, 16);
        byte[] png = pngWithOrientation(stored(up, 8), 8);
        ImageU8 got = ImageDecoder.decode(png, spec, InputLimits.defaults(), "f.png", "f");
        assertEquals(0.0, meanAbsDiff(SquareResize.apply(up, spec), got), 1e-9);
        ImageU8 ignored = SquareResize.apply(ImageIO.read(new java.io.ByteArrayInputStream(png)), spec);
        assertTrue(meanAbsDiff(ignored, got) > 50, "the test picture must look different sideways");
    }

    @Test
    void decompressionBombIsRefusedFromItsHeaderByNameQuickly() {
        Path dir = TestCases.path("decompression-bomb/images");
        long t0 = System.nanoTime();
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> read(new ImageFolderDataset(dir, new ImageSpec(3, 32, 32))));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals("huge.png", e.sampleId());
        assertTrue(e.getMessage().contains("20000 x 20000") && e.getMessage().contains("--max-image-pixels"), e.getMessage());
        // decoding it took 20 s and 4.9 GB before failing; from the header it is the time of reading 16 small images
        assertTrue(secs < 10, "took " + secs + " s");

        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new ImageFolderDataset(dir, new ImageSpec(3, 32, 32), 0, ErrorPolicy.SKIP, stats));
        assertEquals(16, kept.size());
        assertEquals(1, stats.skipped());
        assertTrue(stats.examples().get(0).contains("huge.png"), stats.examples().get(0));
    }

    @Test
    void pixelLimitIsAnOptionBothWays() {
        Path dir = TestCases.path("decompression-bomb/images");
        // lowered below the 48 x 48 pictures: every one is refused, by name
        SkipStats stats = new SkipStats();
        DatasetOptions low = DatasetOptions.defaults().withErrorPolicy(ErrorPolicy.SKIP).withSkipStats(stats)
                .withInputLimits(InputLimits.defaults().withMaxImagePixels(48 * 48 - 1));
        try (Stream<Sample> s = Datasets.open("folder:" + dir, low).stream()) {
            assertEquals(0, s.count());
        }
        assertEquals(17, stats.skipped());
        assertTrue(stats.examples().get(0).contains("img000.png") && stats.examples().get(0).contains("2,304 pixels"),
                stats.examples().get(0));
        // exactly at the limit is allowed
        DatasetOptions exact = DatasetOptions.defaults().withLimit(3)
                .withInputLimits(InputLimits.defaults().withMaxImagePixels(48 * 48));
        try (Stream<Sample> s = Datasets.open("folder:" + dir, exact).stream()) {
            assertEquals(3, s.count());
        }
        assertEquals(89_478_485L, InputLimits.DEFAULT_MAX_IMAGE_PIXELS, "Pillow's MAX_IMAGE_PIXELS");
        assertThrows(IllegalArgumentException.class, () -> new InputLimits(0, 1));
    }

    @Test
    void unreadableImagesNameFileAndSample() throws IOException {
        Files.write(tmp.resolve("a.png"), encode(upright(), "png"));
        Files.writeString(tmp.resolve("b.png"), "<html>not found</html>");
        byte[] jpeg = encode(upright(), "jpg");
        Files.write(tmp.resolve("c.jpg"), java.util.Arrays.copyOf(jpeg, 40));
        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16), 0, ErrorPolicy.SKIP, stats));
        assertEquals(List.of("a.png"), kept.stream().map(Sample::id).toList());
        assertEquals(2, stats.skipped());
        assertTrue(stats.examples().get(0).contains("b.png") && stats.examples().get(0).contains("not an image"),
                stats.examples().get(0));
        assertTrue(stats.examples().get(1).contains("c.jpg"), stats.examples().get(1));
    }
}
