package org.parisjava.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.parisjava.data.ImageU8;
import org.parisjava.vision.ClipImageProcessor;
import org.parisjava.vision.ClipVisionConfig;
import org.parisjava.vision.ClipVisionModel;

/**
 * Images/s of the CLIP score's image side at full size: openai/clip-vit-large-patch14's vision tower
 * (random weights, 224 px, 257 tokens) on 256 px images preprocessed as CLIP does. Prints one JSON
 * line per measure, the median of the repeats after one warm-up.
 *
 * <p>Arguments: batch, repeats.
 */
public final class ClipScoreBenchmark {
    private ClipScoreBenchmark() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Random rng = new Random(0);
        List<ImageU8> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            byte[] px = new byte[3 * 256 * 256];
            rng.nextBytes(px);
            images.add(new ImageU8(3, 256, 256, px));
        }
        ClipImageProcessor processor = ClipImageProcessor.defaults(224);
        try (NDManager m = NDManager.newBaseManager();
             ClipVisionModel model = ClipVisionModel.random(ClipVisionConfig.VIT_L_14, 0, m)) {
            embed(model, processor, images, m); // warm-up
            double[] wall = new double[repeats];
            double[] pre = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                processor.pixels(images);
                pre[r] = batch / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                embed(model, processor, images, m);
                wall[r] = batch / ((System.nanoTime() - t0) / 1e9);
            }
            report("images_per_s", wall, batch);
            report("preprocessed_images_per_s", pre, batch);
        }
    }

    private static void embed(ClipVisionModel model, ClipImageProcessor p, List<ImageU8> images, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            NDArray px = scope.create(p.pixels(images), new Shape(images.size(), 3, 224, 224));
            try (ClipVisionModel.Output o = model.forward(px)) {
                o.imageEmbeds().toFloatArray();
            }
        }
    }

    private static void report(String what, double[] values, int batch) {
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"djl-0.35.1\", \"model\": \"clip-vit-large-patch14 vision\", \"what\": \"%s\", "
                        + "\"value\": %.3f, \"batch\": %d, \"threads\": \"%s\"}", what, ExpertSpeedBenchmark.median(values),
                batch, System.getProperty("ai.djl.pytorch.num_threads", "default")));
    }
}
