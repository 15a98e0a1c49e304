package org.parisjava.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes encoded image bytes (PNG, JPEG, BMP, GIF: whatever ImageIO reads) into a dataset's
 * {@link ImageSpec}. Any failure - unknown format, truncated file, a decoder's own exception -
 * becomes a {@link CorruptSampleException} naming the file and the sample.
 */
final class ImageDecoder {
    private ImageDecoder() {
    }

    static ImageU8 decode(byte[] encoded, ImageSpec spec, String file, String sampleId) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            // ImageIO decoders throw IOException for most damage, but also runtime exceptions
            // (array bounds, illegal state) on some truncated PNGs and JPEGs.
            throw new CorruptSampleException(file, sampleId, "cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new CorruptSampleException(file, sampleId, "not an image format ImageIO can read ("
                    + encoded.length + " bytes)", null);
        }
        if (img.getWidth() < 1 || img.getHeight() < 1) {
            throw new CorruptSampleException(file, sampleId, "empty image", null);
        }
        return SquareResize.apply(img, spec);
    }
}
