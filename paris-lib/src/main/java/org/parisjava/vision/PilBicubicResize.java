package org.parisjava.vision;

/**
 * Pillow's bicubic resize of 8-bit images ({@code Image.resize(size, Image.BICUBIC)}), bit for bit: the
 * resize CLIP's image preprocessing uses (OpenAI's CLIP and transformers' CLIPImageProcessor with the PIL
 * backend). Separable: a horizontal pass, then a vertical one, each skipped when that side keeps its
 * size. Each output pixel is a weighted sum of the input pixels within the cubic kernel's support
 * (Keys 1981, a = -0.5), stretched by the scale when shrinking so that it also low-pass filters; the
 * weights are normalized, turned into 22-bit fixed point and the sum rounded and clipped to 0..255
 * after each pass, as Pillow's {@code ImagingResample} does for 8-bit bands.
 */
public final class PilBicubicResize {
    private static final int PRECISION_BITS = 32 - 8 - 2; // Pillow's fixed-point precision for 8-bit bands
    private static final double A = -0.5; // the cubic kernel's parameter in Pillow
    private static final double SUPPORT = 2.0;

    private PilBicubicResize() {
    }

    /**
     * Resizes one band.
     *
     * @param in  h * w values in 0..255, row-major
     * @return outH * outW values in 0..255, row-major
     */
    public static int[] resize(int[] in, int h, int w, int outH, int outW) {
        if (in.length != h * w || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("Cannot resize " + in.length + " values as " + h + "x" + w + " to "
                    + outH + "x" + outW);
        }
        int[] x = in;
        int curW = w;
        if (outW != w) {
            Coefficients k = Coefficients.of(w, outW);
            int[] out = new int[h * outW];
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < outW; xx++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    int from = k.min[xx];
                    for (int j = 0; j < k.count[xx]; j++) {
                        ss += x[y * curW + from + j] * k.weights[xx * k.size + j];
                    }
                    out[y * outW + xx] = clip8(ss);
                }
            }
            x = out;
            curW = outW;
        }
        if (outH != h) {
            Coefficients k = Coefficients.of(h, outH);
            int[] out = new int[outH * curW];
            for (int yy = 0; yy < outH; yy++) {
                int from = k.min[yy];
                for (int xx = 0; xx < curW; xx++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int j = 0; j < k.count[yy]; j++) {
                        ss += x[(from + j) * curW + xx] * k.weights[yy * k.size + j];
                    }
                    out[yy * curW + xx] = clip8(ss);
                }
            }
            x = out;
        }
        return x == in ? in.clone() : x;
    }

    private static int clip8(int v) {
        if (v >= 1 << PRECISION_BITS << 8) {
            return 255;
        }
        return v <= 0 ? 0 : v >> PRECISION_BITS;
    }

    static double cubic(double x) {
        x = Math.abs(x);
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }

    /** Per output position: the first input index, how many inputs, and their fixed-point weights. */
    private record Coefficients(int size, int[] min, int[] count, int[] weights) {
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] min = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int lo = Math.max((int) (center - support + 0.5), 0); // (int) truncates toward zero, as C does
                int hi = Math.min((int) (center + support + 0.5), inSize) - lo;
                double total = 0;
                for (int j = 0; j < hi; j++) {
                    k[j] = cubic((j + lo - center + 0.5) * ss);
                    total += k[j];
                }
                for (int j = 0; j < hi; j++) {
                    double v = total != 0.0 ? k[j] / total : k[j];
                    weights[o * size + j] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                min[o] = lo;
                count[o] = Math.max(hi, 0);
            }
            return new Coefficients(size, min, count, weights);
        }
    }
}
