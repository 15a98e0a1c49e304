package org.parisjava.eval;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.data.ImageU8;

/**
 * The real FID, through an Inception network the user provides as TorchScript (pytorch-fid
 * compatible; the weights are not shipped). Images are turned into RGB, resized bilinearly to the
 * network's input side (299 for Inception, as torch's {@code interpolate(align_corners=False)}),
 * scaled to the range the export expects, and the output (pool3: (B, 2048, 1, 1) or (B, 2048)) is
 * flattened into one feature row per image.
 *
 * <p>Range: pytorch-fid's {@code InceptionV3} module takes [0, 1] and normalizes to [-1, 1] itself
 * ({@code normalize_input=True}); a trace of the bare network takes [-1, 1].
 */
public final class InceptionFid implements AutoCloseable {
    /** The input range of the TorchScript export. */
    public enum InputRange { ZERO_ONE, MINUS_ONE_ONE }

    public static final int INCEPTION_SIZE = 299;

    private final Model model;
    private final InputRange range;
    private final int inputSize;
    private final int batch;

    private InceptionFid(Model model, InputRange range, int inputSize, int batch) {
        this.model = model;
        this.range = range;
        this.inputSize = inputSize;
        this.batch = batch;
    }

    /** pytorch-fid's module exported whole: 299x299 input in [0, 1]. */
    public static InceptionFid load(Path torchScript) {
        return load(torchScript, InputRange.ZERO_ONE, INCEPTION_SIZE, 32);
    }

    public static InceptionFid load(Path torchScript, InputRange range, int inputSize, int batch) {
        if (!Files.isRegularFile(torchScript)) {
            throw new IllegalArgumentException("Inception TorchScript file not found: " + torchScript);
        }
        if (inputSize < 1 || batch < 1) {
            throw new IllegalArgumentException("Invalid Inception input size " + inputSize + " or batch " + batch);
        }
        Model m = Model.newInstance("inception-fid", "PyTorch");
        try {
            m.load(torchScript);
        } catch (MalformedModelException | IOException e) {
            m.close();
            throw new IllegalArgumentException("Cannot load Inception TorchScript " + torchScript + ": "
                    + e.getMessage(), e);
        }
        return new InceptionFid(m, range, inputSize, batch);
    }

    /** Frechet Inception Distance between two image sets. */
    public double fid(List<ImageU8> a, List<ImageU8> b) {
        return FrechetDistance.between(stats(a), stats(b));
    }

    public GaussianStats stats(List<ImageU8> images) {
        return GaussianStats.of(features(images));
    }

    /** Feature rows (N, D). */
    public float[][] features(List<ImageU8> images) {
        float[][] out = new float[images.size()][];
        int per = 3 * inputSize * inputSize;
        for (int from = 0; from < images.size(); from += batch) {
            int b = Math.min(batch, images.size() - from);
            float[] x = new float[b * per];
            for (int j = 0; j < b; j++) {
                prepare(images.get(from + j), x, j * per);
            }
            float[][] f = forwardPrepared(x, b);
            System.arraycopy(f, 0, out, from, b);
        }
        return out;
    }

    /** Runs the network on already prepared input (B, 3, S, S) and flattens each output row. */
    public float[][] forwardPrepared(float[] nchw, int b) {
        if (nchw.length != b * 3 * inputSize * inputSize) {
            throw new IllegalArgumentException("Prepared input has " + nchw.length + " values, expected (" + b + ", 3, "
                    + inputSize + ", " + inputSize + ")");
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = m.create(nchw, new Shape(b, 3, inputSize, inputSize)); // (B, 3, S, S)
            NDList out = model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false);
            NDArray y = out.get(0); // (B, D, 1, 1) or (B, D)
            if (y.getShape().get(0) != b) {
                throw new IllegalStateException("Inception returned " + y.getShape() + " for a batch of " + b);
            }
            float[] flat = y.reshape(b, -1).toFloatArray();
            int d = flat.length / b;
            float[][] rows = new float[b][];
            for (int i = 0; i < b; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
            return rows;
        }
    }

    /** RGB, bilinear resize to S x S (half-pixel centres), values in the export's range; writes 3 S S values. */
    void prepare(ImageU8 img, float[] dst, int offset) {
        int h = img.height();
        int w = img.width();
        int s = inputSize;
        for (int c = 0; c < 3; c++) {
            int src = img.channels() == 1 ? 0 : c;
            for (int y = 0; y < s; y++) {
                double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / s - 0.5));
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(h - 1, y0 + 1);
                double fy = sy - y0;
                for (int x = 0; x < s; x++) {
                    double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / s - 0.5));
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(w - 1, x0 + 1);
                    double fx = sx - x0;
                    double v = (1 - fy) * ((1 - fx) * img.get(src, y0, x0) + fx * img.get(src, y0, x1))
                            + fy * ((1 - fx) * img.get(src, y1, x0) + fx * img.get(src, y1, x1));
                    double unit = v / 255.0;
                    dst[offset + (c * s + y) * s + x] = (float) (range == InputRange.ZERO_ONE ? unit : 2 * unit - 1);
                }
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
