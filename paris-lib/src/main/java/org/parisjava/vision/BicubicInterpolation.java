package org.parisjava.vision;

/**
 * Bicubic resampling of a (H, W, D) grid to (H', W', D), exactly as PyTorch's
 * {@code F.interpolate(mode="bicubic", align_corners=False)} computes it on the CPU: cubic
 * convolution with A = -0.75 (Keys, 1981), source coordinate (dst + 0.5) * in / out - 0.5, the
 * four taps clamped to the border. transformers resamples DINOv2's position table this way when the
 * input grid differs from the trained one.
 */
public final class BicubicInterpolation {

    /** PyTorch's cubic convolution constant. */
    private static final float A = -0.75f;

    private BicubicInterpolation() {
    }

    /**
     * @param src  (inH, inW, D) row-major
     * @return (outH, outW, D) row-major
     */
    public static float[] resize(float[] src, int inH, int inW, int dim, int outH, int outW) {
        if (src.length != inH * inW * dim || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("Cannot resize a grid of " + src.length + " values as " + inH + "x" + inW
                    + "x" + dim + " to " + outH + "x" + outW);
        }
        Taps ty = taps(inH, outH);
        Taps tx = taps(inW, outW);
        float[] out = new float[outH * outW * dim];
        float[] rows = new float[4];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = (y * outW + x) * dim;
                for (int d = 0; d < dim; d++) {
                    for (int i = 0; i < 4; i++) {
                        int r = ty.index[y * 4 + i] * inW;
                        rows[i] = src[(r + tx.index[x * 4]) * dim + d] * tx.weight[x * 4]
                                + src[(r + tx.index[x * 4 + 1]) * dim + d] * tx.weight[x * 4 + 1]
                                + src[(r + tx.index[x * 4 + 2]) * dim + d] * tx.weight[x * 4 + 2]
                                + src[(r + tx.index[x * 4 + 3]) * dim + d] * tx.weight[x * 4 + 3];
                    }
                    out[o + d] = rows[0] * ty.weight[y * 4] + rows[1] * ty.weight[y * 4 + 1]
                            + rows[2] * ty.weight[y * 4 + 2] + rows[3] * ty.weight[y * 4 + 3];
                }
            }
        }
        return out;
    }

    /** The four clamped source indices and weights of every output position along one axis. */
    private record Taps(int[] index, float[] weight) {
    }

    private static Taps taps(int in, int out) {
        float scale = (float) in / out;
        int[] index = new int[out * 4];
        float[] weight = new float[out * 4];
        for (int i = 0; i < out; i++) {
            float real = scale * (i + 0.5f) - 0.5f;
            // PyTorch's guard_index_and_lambda: the base index is capped at in - 1, the fraction kept in [0, 1]
            int base = Math.min((int) Math.floor(real), in - 1);
            float t = Math.min(Math.max(real - base, 0f), 1f);
            weight[i * 4] = far(t + 1f);
            weight[i * 4 + 1] = near(t);
            weight[i * 4 + 2] = near(1f - t);
            weight[i * 4 + 3] = far(2f - t);
            for (int j = 0; j < 4; j++) {
                index[i * 4 + j] = Math.min(Math.max(base - 1 + j, 0), in - 1);
            }
        }
        return new Taps(index, weight);
    }

    /** The kernel for |x| <= 1. */
    private static float near(float x) {
        return ((A + 2f) * x - (A + 3f)) * x * x + 1f;
    }

    /** The kernel for 1 < |x| < 2. */
    private static float far(float x) {
        return ((A * x - 5f * A) * x + 8f * A) * x - 4f * A;
    }
}
