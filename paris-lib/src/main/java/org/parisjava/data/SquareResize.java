package org.parisjava.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Brings any image to a dataset's {@link ImageSpec}: centre-crop to a square (so nothing is
 * stretched), then resample to the target side - area averaging when shrinking (no aliasing,
 * every source pixel counts), bilinear when enlarging - then convert the channels (RGB to
 * luminance, or grey replicated to RGB).
 */
public final class SquareResize {
    private SquareResize() {
    }

    /** Crops, resizes and converts an AWT image to {@code spec} (which must be square). */
    public static ImageU8 apply(BufferedImage src, ImageSpec spec) {
        int w = src.getWidth();
        int h = src.getHeight();
        int m = Math.min(w, h);
        int x0 = (w - m) / 2;
        int y0 = (h - m) / 2;
        if (src.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return finish(new float[][]{greyPlane(src, x0, y0, m)}, m, spec);
        }
        int[] argb = src.getRGB(x0, y0, m, m, null, 0, m);
        float[][] planes = new float[3][m * m];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xFF;
            planes[1][i] = (argb[i] >> 8) & 0xFF;
            planes[2][i] = argb[i] & 0xFF;
        }
        return finish(planes, m, spec);
    }

    /**
     * The stored grey values, scaled to 0..255. Not {@code getRGB}: Java treats grey PNGs as
     * linear and brightens them on the way to sRGB (a stored 100 comes back as 168).
     */
    private static float[] greyPlane(BufferedImage src, int x0, int y0, int m) {
        Raster r = src.getRaster();
        float scale = 255f / ((1 << r.getSampleModel().getSampleSize(0)) - 1);
        int[] raw = r.getSamples(x0, y0, m, m, 0, (int[]) null);
        float[] plane = new float[m * m];
        for (int i = 0; i < raw.length; i++) {
            plane[i] = raw[i] * scale;
        }
        return plane;
    }

    /** Resizes and converts an image that is already loaded (e.g. a 28x28 Fashion-MNIST digit). */
    public static ImageU8 apply(ImageU8 src, ImageSpec spec) {
        if (spec.matches(src)) {
            return src;
        }
        int m = Math.min(src.width(), src.height());
        int x0 = (src.width() - m) / 2;
        int y0 = (src.height() - m) / 2;
        float[][] planes = new float[src.channels()][m * m];
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    planes[c][y * m + x] = src.get(c, y0 + y, x0 + x);
                }
            }
        }
        return finish(planes, m, spec);
    }

    private static ImageU8 finish(float[][] planes, int m, ImageSpec spec) {
        if (spec.height() != spec.width()) {
            throw new IllegalArgumentException("SquareResize needs a square target, got " + spec);
        }
        int n = spec.width();
        Kernel k = Kernel.of(m, n);
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            out[c] = resize(planes[c], m, n, k);
        }
        byte[] chw = new byte[spec.numel()];
        int hw = n * n;
        for (int i = 0; i < hw; i++) {
            if (spec.channels() == 1) {
                float v = out.length == 1 ? out[0][i] : 0.299f * out[0][i] + 0.587f * out[1][i] + 0.114f * out[2][i];
                chw[i] = toByte(v);
            } else {
                for (int c = 0; c < 3; c++) {
                    chw[c * hw + i] = toByte(out[out.length == 1 ? 0 : c][i]);
                }
            }
        }
        return new ImageU8(spec.channels(), n, n, chw);
    }

    private static byte toByte(float v) {
        return (byte) Math.round(Math.max(0f, Math.min(255f, v)));
    }

    /** Separable resample: rows first, then columns. */
    private static float[] resize(float[] src, int m, int n, Kernel k) {
        if (m == n) {
            return src;
        }
        float[] tmp = new float[m * n]; // (m rows, n cols)
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < n; x++) {
                float s = 0;
                for (int j = 0; j < k.index[x].length; j++) {
                    s += k.weight[x][j] * src[y * m + k.index[x][j]];
                }
                tmp[y * n + x] = s;
            }
        }
        float[] dst = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float s = 0;
                for (int j = 0; j < k.index[y].length; j++) {
                    s += k.weight[y][j] * tmp[k.index[y][j] * n + x];
                }
                dst[y * n + x] = s;
            }
        }
        return dst;
    }

    /** For each output index, the source indices it reads and their weights (summing to 1). */
    private record Kernel(int[][] index, float[][] weight) {
        static Kernel of(int in, int out) {
            int[][] idx = new int[out][];
            float[][] wt = new float[out][];
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                if (out <= in) {
                    // Area: output pixel o covers source interval [o*scale, (o+1)*scale).
                    double a = o * scale;
                    double b = (o + 1) * scale;
                    int first = (int) Math.floor(a);
                    int last = Math.min(in - 1, (int) Math.ceil(b) - 1);
                    idx[o] = new int[last - first + 1];
                    wt[o] = new float[last - first + 1];
                    for (int s = first; s <= last; s++) {
                        double cover = Math.min(b, s + 1) - Math.max(a, s);
                        idx[o][s - first] = s;
                        wt[o][s - first] = (float) (cover / scale);
                    }
                } else {
                    // Bilinear, pixel centres aligned (the convention of PIL and torch align_corners=False).
                    double pos = Math.max(0, Math.min(in - 1, (o + 0.5) * scale - 0.5));
                    int lo = (int) Math.floor(pos);
                    int hi = Math.min(in - 1, lo + 1);
                    float f = (float) (pos - lo);
                    idx[o] = new int[]{lo, hi};
                    wt[o] = new float[]{1 - f, f};
                }
            }
            return new Kernel(idx, wt);
        }
    }
}
