package org.parisjava.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.ForwardCost;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;

/**
 * Expert speed benchmark (issue 3, item 10): training images/s (forward + backward + AdamW step),
 * sampling images/s (one forward, no gradient) and this CPU's fp32 matmul peak, for a DiT preset.
 * Not a unit test: bench/expert-speed.sh runs it next to the PyTorch eager script. Prints one
 * JSON line per measurement so the script can tabulate.
 *
 * <p>Arguments: preset (demo), batch (64), repeats (5), steps per repeat (5), what (all | matmul | model),
 * warm-up steps (40). The warm-up runs that many training steps, then that many sampling steps, before
 * anything is timed, and is the same in the PyTorch twin: HotSpot's C2 compiler works through DJL's and
 * this code's Java for about the first 35 training steps (about 0.7 CPU-seconds at batch 32, one thread,
 * on a thread of its own), which a training run pays once and which would otherwise be counted as
 * throughput. Its cost is reported on its own line ("warmup_cpu_s": the whole process's CPU seconds
 * during the warm-up), beside the twin's.
 */
public final class ExpertSpeedBenchmark {

    private ExpertSpeedBenchmark() {
    }

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "demo";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String only = args.length > 4 ? args[4] : "all";
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 40;
        DiTConfig c = DiTConfig.of(preset);
        Engine.getInstance().setRandomSeed(0);
        if (!only.equals("model")) {
            report("matmul", matmulPeak(repeats), "GFLOP/s", c, batch);
        }
        if (only.equals("matmul")) {
            return;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiT.create(c);
            dit.initialize(m, DataType.FLOAT32, dit.inputShapes(batch));
            HashedTokenEncoder enc = new HashedTokenEncoder(c.textDim(), c.textTokens());
            List<String> caps = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                caps.add(i % 10 == 0 ? "" : "a small red circle on a blue square number " + i);
            }
            TextBatch text = enc.encode(caps, m);
            NDArray images = m.randomUniform(-1f, 1f, new Shape(batch, c.inChannels(), c.imageSize(), c.imageSize()));
            Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).optWeightDecays(0.01f)
                    .build();
            Map<String, Parameter> params = org.parisjava.train.ParameterNames.of(dit);
            ParameterStore ps = new ParameterStore(m, false);

            double[] train = new double[repeats];
            double[] sample = new double[repeats];
            double[] trainCpu = new double[repeats];
            double[] sampleCpu = new double[repeats];
            long warm0 = cpuNanos();
            trainSteps(dit, ps, adamW, params, images, text, warmup);
            sampleSteps(dit, ps, images, text, warmup);
            report("warmup_cpu_s", new double[] {(cpuNanos() - warm0) / 1e9}, "cpu-s", c, batch);
            for (int r = 0; r < repeats; r++) {
                long cpu0 = cpuNanos();
                train[r] = batch * steps / trainSteps(dit, ps, adamW, params, images, text, steps);
                long cpu1 = cpuNanos();
                sample[r] = batch * steps / sampleSteps(dit, ps, images, text, steps);
                long cpu2 = cpuNanos();
                trainCpu[r] = batch * steps / ((cpu1 - cpu0) / 1e9);
                sampleCpu[r] = batch * steps / ((cpu2 - cpu1) / 1e9);
            }
            report("train", train, "images/s", c, batch);
            report("sample", sample, "images/s", c, batch);
            // throughput per CPU-second: robust to other processes sharing the cores
            report("train_per_cpu_s", trainCpu, "images/cpu-s", c, batch);
            report("sample_per_cpu_s", sampleCpu, "images/cpu-s", c, batch);
        }
    }

    /** Seconds for {@code steps} training steps: flow-matching loss, backward, AdamW on every parameter. */
    static double trainSteps(DiT dit, ParameterStore ps, Optimizer opt, Map<String, Parameter> params,
                             NDArray images, TextBatch text, int steps) {
        long b = images.getShape().get(0);
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (NDManager step = images.getManager().newSubManager()) {
                NDArray x0 = images; // (B, C, H, W)
                NDArray eps = step.randomNormal(x0.getShape()); // (B, C, H, W)
                NDArray t = step.randomUniform(0f, 1f, new Shape(b)); // (B)
                NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t).toDevice(x0.getDevice(), false);
                xt.attach(step);
                NDArray target = RectifiedFlowPath.velocity(x0, eps);
                target.attach(step);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray v = dit.forward(ps, new NDList(xt, t, text.tokens(), text.mask()), true).singletonOrThrow();
                    NDArray loss = RectifiedFlowPath.loss(v, target);
                    gc.backward(loss);
                }
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    NDArray w = e.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        opt.update(e.getKey(), w, g);
                        g.subi(g); // torch accumulates gradients: clear for the next step
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds for {@code steps} forward passes without gradient (one sampling step each). */
    static double sampleSteps(DiT dit, ParameterStore ps, NDArray images, TextBatch text, int steps) {
        long b = images.getShape().get(0);
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (NDManager step = images.getManager().newSubManager()) {
                NDArray x = step.randomNormal(images.getShape()); // (B, C, H, W)
                NDArray t = step.full(new Shape(b), 0.5f); // (B)
                NDArray v = dit.forward(ps, new NDList(x, t, text.tokens(), text.mask()), false).singletonOrThrow();
                v.toFloatArray(); // force completion, as a sampler would read the result
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** fp32 GFLOP/s of a 1024 x 1024 x 1024 matmul, one value per repeat. */
    static double[] matmulPeak(int repeats) {
        int n = 1024;
        int iters = 10;
        double[] out = new double[repeats];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    a.matMul(b).close();
                }
                out[r] = 2.0 * n * n * n * iters / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** CPU time of the whole process, every thread (libtorch's workers included). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void report(String what, double[] values, String unit, DiTConfig c, int batch) {
        StringBuilder raw = new StringBuilder();
        for (double v : values) {
            raw.append(raw.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"djl-0.35.1\", \"what\": \"%s\", \"value\": %.2f, \"unit\": \"%s\", "
                        + "\"preset\": \"%s\", \"batch\": %d, \"forward_gflop_per_image\": %.4f, "
                        + "\"threads\": \"%s\", \"raw\": [%s]}",
                what, median(values), unit, c.name(), batch, ForwardCost.of(c).gflops(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), raw));
    }
}
