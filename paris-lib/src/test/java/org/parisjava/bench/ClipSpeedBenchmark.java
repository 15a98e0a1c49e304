package org.parisjava.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Random;
import org.parisjava.text.ClipTextConfig;
import org.parisjava.text.ClipTextModel;

/**
 * Texts/s of the Java CLIP text model at full size (openai/clip-vit-large-patch14's text tower,
 * random weights), for bench/clip-speed.sh. Prints one JSON line per measure, like
 * bench/clip_speed_torch.py, its PyTorch twin.
 *
 * <p>Arguments: batch, repeats, forwards per repeat. Each repeat times that many forwards after one
 * warm-up forward; the median over repeats is reported, and also per CPU-second of the process.
 */
public final class ClipSpeedBenchmark {
    private ClipSpeedBenchmark() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int iters = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ClipTextConfig c = ClipTextConfig.VIT_L_14;
        int l = c.maxPositions();
        Random rng = new Random(0);
        long[] ids = new long[batch * l];
        for (int b = 0; b < batch; b++) { // start, 5 to 40 words, end, padding: like real captions
            int n = 5 + rng.nextInt(36);
            ids[b * l] = 49406;
            for (int j = 1; j < l; j++) {
                ids[b * l + j] = j <= n ? rng.nextInt(49406) : 49407;
            }
        }
        try (NDManager m = NDManager.newBaseManager(); ClipTextModel model = ClipTextModel.random(c, 0, m)) {
            NDArray idArray = m.create(ids, new Shape(batch, l)); // (B, L)
            forward(model, idArray, m); // warm-up
            double[] wall = new double[repeats];
            double[] cpu = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                long c0 = ExpertSpeedBenchmark.cpuNanos();
                for (int i = 0; i < iters; i++) {
                    forward(model, idArray, m);
                }
                wall[r] = batch * iters / ((System.nanoTime() - t0) / 1e9);
                cpu[r] = batch * iters / ((ExpertSpeedBenchmark.cpuNanos() - c0) / 1e9);
            }
            report("texts_per_s", wall, batch);
            report("texts_per_cpu_s", cpu, batch);
        }
    }

    private static void forward(ClipTextModel model, NDArray ids, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            ClipTextModel.Output out = model.forward(ids, scope);
            out.lastHiddenState().toFloatArray(); // force the result, as the reference reads its output
        }
    }

    private static void report(String what, double[] values, int batch) {
        StringBuilder raw = new StringBuilder();
        for (double v : values) {
            raw.append(raw.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"djl-0.35.1\", \"what\": \"%s\", \"value\": %.3f, \"batch\": %d, \"threads\": \"%s\", "
                        + "\"raw\": [%s]}", what, ExpertSpeedBenchmark.median(values), batch,
                System.getProperty("ai.djl.pytorch.num_threads", "default"), raw));
    }
}
