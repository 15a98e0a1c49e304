package org.parisjava.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.ForwardCost;

/**
 * Time of one forward pass of a real-size DiT-XL/2 expert in the released Paris layout (random
 * weights, fp32) at a given batch, on this machine: the unit cost of {@code paris generate}
 * (one guided step of one expert is one forward at batch 2 per image). Prints one JSON line with
 * the median and all repeats. Run by bench/released-expert-speed.sh.
 *
 * <p>Arguments: batch (2), repeats (3).
 */
public final class ReleasedExpertBenchmark {
    private ReleasedExpertBenchmark() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DiTConfig c = DiTConfig.of("DiT-XL/2").withReleasedLayout();
        try (NDManager m = NDManager.newBaseManager()) {
            DiT model = DiT.create(c);
            model.initialize(m, DataType.FLOAT32, model.inputShapes(1));
            double[] seconds = new double[repeats + 1];
            for (int r = 0; r <= repeats; r++) { // r = 0 is the warm-up
                try (NDManager s = m.newSubManager()) {
                    NDList in = new NDList(s.randomNormal(new Shape(batch, 4, 32, 32)),
                            s.full(new Shape(batch), 0.5f), s.randomNormal(new Shape(batch, 77, 768)),
                            s.ones(new Shape(batch, 77)));
                    long t0 = System.nanoTime();
                    NDArray v = model.forward(new ParameterStore(s, false), in, false).singletonOrThrow();
                    v.toFloatArray();
                    seconds[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double[] timed = Arrays.copyOfRange(seconds, 1, seconds.length);
            Arrays.sort(timed);
            double median = timed[timed.length / 2];
            double gflops = ForwardCost.of(c).gflops() * batch;
            System.out.printf(Locale.ROOT, "{\"impl\": \"djl\", \"what\": \"dit_xl2_released_forward\", \"batch\": %d, "
                    + "\"median_s\": %.3f, \"warmup_s\": %.3f, \"repeats_s\": %s, \"gflops\": %.1f, "
                    + "\"gflops_per_s\": %.1f, \"parameters\": %d}%n", batch, median, seconds[0],
                    Arrays.toString(timed), gflops, gflops / median, c.parameterCount());
        }
    }
}
