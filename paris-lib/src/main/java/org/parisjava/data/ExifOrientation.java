package org.parisjava.data;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EXIF Orientation tag (274) that cameras and phones write instead of turning the pixels, and
 * the turn that shows the picture the way every viewer does. Values (EXIF 2.32 / TIFF 6.0):
 *
 * <pre>
 * 1 as stored            5 transpose (mirror across the main diagonal)
 * 2 mirror left-right    6 rotate 90 degrees clockwise
 * 3 rotate 180 degrees   7 transverse (mirror across the other diagonal)
 * 4 mirror top-bottom    8 rotate 90 degrees counter-clockwise
 * </pre>
 *
 * <p>The tag is read (with TwelveMonkeys' EXIF/TIFF reader) from a JPEG's APP1 "Exif" segment or
 * a PNG's {@code eXIf} chunk. Damaged or absent metadata means orientation 1: a picture that
 * every viewer shows is not refused for its metadata.
 */
final class ExifOrientation {
    private static final Logger LOG = LoggerFactory.getLogger(ExifOrientation.class);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ExifOrientation() {
    }

    /** The orientation recorded in {@code encoded} (1 to 8), or 1 when there is none or it is unreadable. */
    static int read(byte[] encoded) {
        try {
            byte[] tiff = encoded.length > 3 && (encoded[0] & 0xFF) == 0xFF && (encoded[1] & 0xFF) == 0xD8
                    ? jpegExif(encoded) : isPng(encoded) ? pngExif(encoded) : null;
            if (tiff == null) {
                return 1;
            }
            try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff))) {
                Directory ifds = new TIFFReader().read(in);
                Entry e = ifds.getEntryById(TIFF.TAG_ORIENTATION);
                if (e != null && e.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                    return n.intValue();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Unreadable EXIF metadata, orientation taken as 1: {}", e.toString());
        }
        return 1;
    }

    /** The TIFF structure inside the first APP1 "Exif" segment, or null. */
    private static byte[] jpegExif(byte[] jpeg) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (segments.isEmpty()) {
                return null;
            }
            try (InputStream data = segments.get(0).segmentData()) {
                byte[] all = data.readAllBytes();
                // "Exif\0" then one pad byte, then the TIFF header ("II*\0" or "MM\0*").
                int header = "Exif".length() + 2;
                return all.length > header ? Arrays.copyOfRange(all, header, all.length) : null;
            }
        }
    }

    private static boolean isPng(byte[] b) {
        if (b.length < PNG_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (b[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The payload of the {@code eXIf} chunk (PNG 1.5 extension; TIFF structure), or null. */
    private static byte[] pngExif(byte[] png) {
        ByteBuffer buf = ByteBuffer.wrap(png);
        int pos = PNG_SIGNATURE.length;
        while (pos + 8 <= png.length) {
            long length = buf.getInt(pos) & 0xFFFFFFFFL;
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            long dataStart = pos + 8L;
            if (dataStart + length > png.length || type.equals("IDAT") || type.equals("IEND")) {
                return null; // eXIf comes before the image data
            }
            if (type.equals("eXIf")) {
                return Arrays.copyOfRange(png, (int) dataStart, (int) (dataStart + length));
            }
            pos = (int) (dataStart + length + 4); // data and CRC
        }
        return null;
    }

    /**
     * {@code src} turned as orientation {@code o} says; the same image for 1. Values 5 to 8 swap
     * width and height. The colour model (grey, RGB, palette) is kept.
     */
    static BufferedImage apply(BufferedImage src, int o) {
        if (o < 1 || o > 8) {
            throw new IllegalArgumentException("Invalid EXIF orientation: " + o + " (expected 1 to 8)");
        }
        if (o == 1) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = o >= 5;
        ColorModel cm = src.getColorModel();
        WritableRaster dst = cm.createCompatibleWritableRaster(swap ? h : w, swap ? w : h);
        Raster in = src.getRaster();
        Object px = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px = in.getDataElements(x, y, px);
                // (dx, dy): where the stored pixel (x, y) shows up on screen.
                int dx;
                int dy;
                switch (o) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; } // 8
                }
                dst.setDataElements(dx, dy, px);
            }
        }
        return new BufferedImage(cm, dst, cm.isAlphaPremultiplied(), null);
    }
}
