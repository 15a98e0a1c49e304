package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SquareResizeTest {

    @Test
    void greyPngKeepsItsStoredValues() throws IOException {
        BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 16; i++) {
            g.getRaster().setSample(i % 4, i / 4, 0, 100);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(g, "png", out);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        ImageU8 img = SquareResize.apply(back, new ImageSpec(1, 4, 4));
        assertEquals(100, img.get(0, 2, 2), "grey must not be gamma-brightened");
        ImageU8 rgb = SquareResize.apply(back, new ImageSpec(3, 2, 2));
        assertEquals(100, rgb.get(1, 1, 1));
    }

    @Test
    void areaDownscaleAveragesAndUpscaleInterpolates() {
        // 4x4 checkerboard of 0 and 200 averages to 100 everywhere at 2x2.
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (((i % 4) + (i / 4)) % 2 == 0 ? 200 : 0);
        }
        ImageU8 small = SquareResize.apply(new ImageU8(1, 4, 4, px), new ImageSpec(1, 2, 2));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertEquals(100, small.get(0, y, x));
            }
        }
        // 3x3 down to 2x2 uses fractional coverage: [0,1.5) of a row 0,90,180 is (0 + 0.5*90)/1.5 = 30.
        byte[] ramp = {0, (byte) 90, (byte) 180, 0, (byte) 90, (byte) 180, 0, (byte) 90, (byte) 180};
        ImageU8 r = SquareResize.apply(new ImageU8(1, 3, 3, ramp), new ImageSpec(1, 2, 2));
        assertEquals(30, r.get(0, 0, 0));
        assertEquals(150, r.get(0, 1, 1));
        // Upscaling a constant stays constant; the same spec returns the image itself.
        ImageU8 flat = new ImageU8(1, 2, 2, new byte[]{50, 50, 50, 50});
        assertEquals(50, SquareResize.apply(flat, new ImageSpec(1, 5, 5)).get(0, 4, 3));
        assertSame(flat, SquareResize.apply(flat, new ImageSpec(1, 2, 2)));
    }

    @Test
    void centreCropOfAWideImage() {
        // 6 wide, 2 high: columns 0-1 black, 2-3 white, 4-5 black; the crop keeps the white middle.
        BufferedImage wide = new BufferedImage(6, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            wide.setRGB(2, y, 0xFFFFFF);
            wide.setRGB(3, y, 0xFFFFFF);
        }
        ImageU8 img = SquareResize.apply(wide, new ImageSpec(3, 2, 2));
        assertEquals(255, img.get(0, 0, 0));
        assertEquals(255, img.get(2, 1, 1));
    }
}
