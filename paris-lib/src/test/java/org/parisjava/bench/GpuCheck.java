package org.parisjava.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parisjava.data.ImageSpec;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.ForwardCost;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;
import org.parisjava.train.LoopOptions;
import org.parisjava.train.TrainResult;
import org.parisjava.train.TrainingLoop;

/**
 * The GPU check of bench/gpu-check.sh: on the selected device, the measured fp32 matrix-product
 * peak; a few DiT-B/2 training steps of the project's {@link TrainingLoop} on random 32x32x4 latents
 * (flow matching, AdamW, clipping, EMA); top-2 sampling from two such experts and a DiT-B/2 router
 * through the {@link EnsembleSampler}; images/s, peak memory, and MFU (model FLOPs per second over the
 * measured peak; training counts 3 forward passes per image). {@code --tiny} runs the same path at
 * smoke size, which is what a CPU-only machine runs by default.
 *
 * <p>Usage: {@code GpuCheck [--device cpu|gpu|gpu:N] [--tiny] [--precision fp32|fp16] [--steps N]}.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    /** What the check measured. */
    public record Report(String device, String precision, String model, int batch, double matmulTflops,
                         double trainImagesPerSecond, double trainMfu, double sampleImagesPerSecond, double sampleMfu,
                         double peakMemoryMb, String memoryKind, double finalLoss, long sampledImages) {
        public String describe() {
            return String.format(Locale.ROOT, "device %s (%s), %s, batch %d%n"
                            + "  matmul peak      %.3f TFLOP/s (fp32, measured)%n"
                            + "  train            %.2f images/s, MFU %.2f%% (loss %.4f)%n"
                            + "  sample top-2     %.2f images/s, MFU %.2f%% (%d images)%n"
                            + "  peak memory      %.0f MB (%s)",
                    device, precision, model, batch, matmulTflops, trainImagesPerSecond, 100 * trainMfu, finalLoss,
                    sampleImagesPerSecond, 100 * sampleMfu, sampledImages, peakMemoryMb, memoryKind);
        }
    }

    public static void main(String[] args) {
        String device = Engine.getInstance().getGpuCount() > 0 ? "gpu" : "cpu";
        boolean tiny = false;
        String precision = "fp32";
        int steps = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = args[++i];
                case "--tiny" -> tiny = true;
                case "--precision" -> precision = args[++i];
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        Device d = ComputeDevice.select(device, Precision.parse(precision));
        System.out.println(run(tiny || !d.isGpu(), steps).describe());
    }

    /** Runs the check on the selected device ({@link ComputeDevice}). */
    public static Report run(boolean tiny, int steps) {
        DiTConfig ditPreset = tiny ? DiTConfig.of("smoke").withImage(8, 4) : DiTConfig.of("DiT-B/2");
        DiTConfig dit = ditPreset;
        RouterConfig rc = tiny ? new RouterConfig("tiny", 8, 4, 2, 32, 2, 2, 4, 2)
                : RouterConfig.of("DiT-B/2");
        rc = new RouterConfig(rc.name(), rc.imageSize(), rc.inChannels(), rc.patchSize(), rc.hidden(), rc.depth(),
                rc.heads(), rc.mlpRatio(), 2);
        int batch = tiny ? 4 : 32;
        ImageSpec spec = latentSpec(dit);
        if (spec.channels() != dit.inChannels()) {
            dit = dit.withImage(dit.imageSize(), spec.channels());
            rc = new RouterConfig(rc.name(), rc.imageSize(), spec.channels(), rc.patchSize(), rc.hidden(), rc.depth(),
                    rc.heads(), rc.mlpRatio(), rc.clusters());
        }
        double peak = matmulPeak(tiny ? 256 : 4096, tiny ? 3 : 20);
        try (NDManager root = ComputeDevice.newManager();
             HashedTokenEncoder text = new HashedTokenEncoder(dit.textDim(), dit.textTokens())) {
            // training: a few steps of the project's loop on random latents
            DiT model = TrainingLoop.initialize(DiT.create(dit), root, 1, DiT.create(dit).inputShapes(1));
            LoopOptions lo = new LoopOptions(steps, batch, 1e-4, 1, 0.0, 0.999, 1.0, steps, Math.max(1, steps / 2), 1);
            TrainingLoop loop = new TrainingLoop("gpu-check " + dit.name(), new TrainingLoop.Model("expert", model, dit, root), lo);
            long t0 = System.nanoTime();
            TrainResult tr = loop.run(1 << 20, b -> {
                NDManager s = b.manager();
                NDArray x0 = s.randomNormal(new Shape(b.indices().length, spec.channels(), spec.height(), spec.width()));
                List<String> captions = new ArrayList<>();
                for (int i = 0; i < b.indices().length; i++) {
                    captions.add("latent " + b.indices()[i]);
                }
                TextBatch tb = text.encode(captions, s); // (B, L, Dt), (B, L)
                NDArray t = s.randomUniform(0f, 1f, new Shape(b.indices().length)); // (B)
                NDArray eps = s.randomNormal(x0.getShape());
                NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t);
                NDArray v = model.forward(new ParameterStore(s, false), new NDList(xt, t, tb.tokens(), tb.mask()), true)
                        .singletonOrThrow();
                return RectifiedFlowPath.loss(v, RectifiedFlowPath.velocity(x0, eps));
            });
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double trainIps = (double) steps * batch / trainSeconds;
            double expertFlops = ForwardCost.of(dit).flops();
            double trainMfu = 3 * expertFlops * trainIps / peak;

            // sampling: top-2 over two experts and a router, with guidance
            List<Block> experts = List.of(model, TrainingLoop.initialize(DiT.create(dit), root, 2, DiT.create(dit).inputShapes(1)));
            Router router = TrainingLoop.initialize(Router.create(rc), root, 3, Router.create(rc).inputShapes(1));
            int sampleSteps = tiny ? 3 : 10;
            EnsembleSampler sampler = new EnsembleSampler(Ensemble.of(experts, router, null),
                    new SamplerConfig(spec, sampleSteps, 7.5, 0, "euler"));
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                prompts.add("a photo " + i);
            }
            t0 = System.nanoTime();
            SamplingResult sr = sampler.sample(text, prompts, null, RoutingStrategy.topK(2), batch,
                    org.parisjava.run.ProgressListener.NONE);
            double sampleSeconds = (System.nanoTime() - t0) / 1e9;
            double sampleIps = batch / sampleSeconds;
            // each step: the router once, each of the two experts on every image, twice for guidance
            double perImage = sampleSteps * (ForwardCost.of(rc).flops() + 2 * 2 * expertFlops);
            double sampleMfu = perImage * sampleIps / peak;
            double[] mem = peakMemory(root.getDevice());
            return new Report(ComputeDevice.spec(root.getDevice()), ComputeDevice.inferencePrecision().spec(),
                    dit.name() + " on " + spec.height() + "x" + spec.width() + "x" + spec.channels(),
                    batch, peak / 1e12, trainIps, trainMfu, sampleIps, sampleMfu, mem[0],
                    mem[1] > 0 ? "GPU memory in use, all processes" : "peak RSS of this process", tr.lastLoss(),
                    sr.sampleIds().length);
        }
    }

    /**
     * 32x32x4 latents where {@link ImageSpec} takes any channel count; while it takes only 1 or 3 (pixel
     * images), 3 channels of the same size, with the same cost within 1%.
     */
    private static ImageSpec latentSpec(DiTConfig dit) {
        try {
            return new ImageSpec(dit.inChannels(), dit.imageSize(), dit.imageSize());
        } catch (IllegalArgumentException e) {
            return new ImageSpec(3, dit.imageSize(), dit.imageSize());
        }
    }

    /** Measured fp32 matrix-product FLOP/s of the selected device: the best of {@code reps} n x n products. */
    static double matmulPeak(int n, int reps) {
        try (NDManager m = ComputeDevice.newManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).sum().getFloat(); // warm-up
            double best = 0;
            for (int r = 0; r < reps; r++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(s);
                    long t0 = System.nanoTime();
                    NDArray c = x.matMul(b);
                    c.get(0, 0).getFloat(); // waits for the device
                    best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9));
                }
            }
            return best;
        }
    }

    private static double[] peakMemory(Device d) {
        if (d.isGpu()) {
            MemoryUsage u = CudaUtils.getGpuMemory(d);
            return new double[] {u.getCommitted() / 1048576.0, 1};
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return new double[] {Long.parseLong(line.replaceAll("\\D", "")) / 1024.0, 0};
                }
            }
        } catch (java.io.IOException e) {
            return new double[] {Double.NaN, 0};
        }
        return new double[] {Double.NaN, 0};
    }
}
