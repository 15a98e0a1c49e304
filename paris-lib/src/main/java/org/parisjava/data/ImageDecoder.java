package org.parisjava.data;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded image bytes (PNG, JPEG, BMP, GIF: whatever an ImageIO plugin reads) into a
 * dataset's {@link ImageSpec}, the way image viewers show them:
 *
 * <ul>
 *   <li>CMYK and YCCK JPEGs (as print software saves them) are converted to RGB through their
 *       colour profile by the TwelveMonkeys JPEG plugin, which ImageIO prefers to the JDK's
 *       reader once it is on the class path;</li>
 *   <li>the EXIF orientation is applied ({@link ExifOrientation});</li>
 *   <li>the pixel count is read from the header and an image over
 *       {@link InputLimits#maxImagePixels()} is refused before any pixel is decoded, so a
 *       decompression bomb (a 1 MB PNG of 20,000 x 20,000 pixels) costs milliseconds, not
 *       gigabytes.</li>
 * </ul>
 *
 * Any failure - unknown format, truncated file, an image over the limit, a decoder's own
 * exception - becomes a {@link CorruptSampleException} naming the file and the sample.
 */
final class ImageDecoder {
    static {
        // ImageIO finds plugins through the context class loader of the thread that first uses it,
        // which in a notebook kernel or a servlet container may not see ours: register explicitly.
        // The plugin orders itself before the JDK's JPEG reader (registering it again replaces the earlier instance).
        IIORegistry.getDefaultInstance().registerServiceProvider(new JPEGImageReaderSpi());
    }

    private ImageDecoder() {
    }

    static ImageU8 decode(byte[] encoded, ImageSpec spec, InputLimits limits, String file, String sampleId) {
        BufferedImage img;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new CorruptSampleException(file, sampleId, "not an image format ImageIO can read ("
                        + encoded.length + " bytes)", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1) {
                    throw new CorruptSampleException(file, sampleId, "empty image (" + w + " x " + h + ")", null);
                }
                if (w * h > limits.maxImagePixels()) {
                    throw new CorruptSampleException(file, sampleId, String.format(Locale.ROOT,
                            "image of %d x %d = %,d pixels is over the limit of %,d pixels (refused from its header"
                                    + " before decoding: a decompression bomb, or far larger than training needs;"
                                    + " raise the limit with --max-image-pixels)", w, h, w * h, limits.maxImagePixels()), null);
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (CorruptSampleException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO decoders throw IOException for most damage, but also runtime exceptions
            // (array bounds, illegal state) on some truncated PNGs and JPEGs.
            throw new CorruptSampleException(file, sampleId, "cannot decode image: " + e, e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, sampleId, e);
        }
        try {
            return SquareResize.apply(ExifOrientation.apply(img, ExifOrientation.read(encoded)), spec);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, sampleId, e);
        }
    }

    /**
     * An image within the pixel limit that still does not fit the heap is named like any other
     * failure; the allocation that failed is garbage again, so the next sample can be read.
     */
    private static CorruptSampleException outOfMemory(String file, String sampleId, OutOfMemoryError e) {
        return new CorruptSampleException(file, sampleId, "out of memory while decoding (raise the heap with -Xmx,"
                + " or lower --max-image-pixels): " + e.getMessage(), e);
    }
}
