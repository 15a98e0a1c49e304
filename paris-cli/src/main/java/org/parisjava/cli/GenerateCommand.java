package org.parisjava.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.eval.ComputeCost;
import org.parisjava.infer.ExpertUsage;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplingResult;
import org.parisjava.infer.released.ParisModel;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.ComputeDevice;
import org.parisjava.viz.ChartFiles;
import org.parisjava.viz.ExpertUsageFigure;
import org.parisjava.viz.ImageGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paris generate}: images from the released Paris model, with the per-step expert usage beside them. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate images with the released Paris model (arXiv 2510.03434): 8 DiT-XL/2 experts and "
                + "a DiT-B/2 router, routed per step. Writes the PNG grid, and beside it OUT.usage.csv and "
                + "OUT.usage.png (the mean routing weight of each expert at each step)."},
        footer = {"",
            "The weights: the Hugging Face folder bageldotcom/paris (MIT licence on its model card; downloading may "
                    + "need a Hugging Face login), about 20 GB. Get it with 'paris datasets fetch paris-weights' "
                    + "(or 'hf download bageldotcom/paris --local-dir DIR') and pass that folder to --weights.",
            "",
            "What it costs, per image at 256 px (32x32x4 latents), 50 steps, guidance (2 expert rows per step): "
                    + "one expert forward is about 289 GFLOPs, the router 46 GFLOPs; top-1 about 31 TFLOPs, top-2 "
                    + "about 60 TFLOPs, full (all 8) about 233 TFLOPs. Memory: 2.4 GB per loaded expert in fp32 "
                    + "(experts load when the router first picks them; top-2 usually touches several). One expert "
                    + "forward at batch 2 took about a minute on a shared 2-core CPU (README), so a top-2 image "
                    + "(100 such forwards) takes hours on a small CPU and seconds on a GPU."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "The released Paris folder (bageldotcom/paris).")
    Path weights;

    @Option(names = "--prompt", required = true, description = "Prompt; repeat the option for several.")
    List<String> prompts;

    @Option(names = "--strategy", defaultValue = "top-2",
            description = "top-1, top-2, full, sample-K[@seed] or threshold-T (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--steps", defaultValue = "50", description = "Euler steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--cfg", defaultValue = "7.5", description = "Guidance scale per expert (default: ${DEFAULT-VALUE}).")
    double cfg;

    @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "-n", defaultValue = "1", description = "Images per prompt (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--device", defaultValue = ComputeDevice.DEFAULT, paramLabel = "cpu|gpu|gpu:N",
            description = "Device to compute on (default: ${DEFAULT-VALUE}); gpu needs DJL's CUDA natives, see the README.")
    String device;

    @Option(names = "--offload", description = "Keep expert weights in host memory and copy them to the device at "
            + "each step (for a GPU that cannot hold the experts).")
    boolean offload;

    @Option(names = "--scale", defaultValue = "1", description = "Pixel scale of the grid (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--out", required = true, description = "PNG grid to write (one row per prompt).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("Invalid -n: " + n);
        }
        RoutingStrategy routing = RoutingStrategy.parse(strategy);
        if (routing instanceof RoutingStrategy.Monolith || routing instanceof RoutingStrategy.Oracle) {
            throw new IllegalArgumentException("Strategy '" + strategy + "' is for a reproduction's evaluation: the"
                    + " released model has no monolith and a prompt has no known cluster. Use top-1, top-2, full,"
                    + " sample-K[@seed] or threshold-T");
        }
        Device d = ComputeDevice.select(device); // refuses a GPU the engine does not see, before any file is read
        try (ParisModel model = ParisModel.load(weights, new ParisModel.Options(d, offload))) {
            SamplingResult latents = model.sampleLatents(prompts, n, routing, steps, cfg, seed, null,
                    new TerminalProgress(System.err));
            float[] pixels = model.decode(latents);
            ImageSpec spec = model.imageSpec();
            List<ImageU8> images = new ArrayList<>();
            for (int i = 0; i < latents.count(); i++) {
                images.add(ImageU8.fromFloat(pixels, i * spec.numel(), spec.channels(), spec.height(), spec.width()));
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageGrid.of(images).withColumns(n).withScale(scale).writePng(out);
            String base = out.getFileName().toString().replaceFirst("\\.png$", "");
            Path csv = out.resolveSibling(base + ".usage.csv");
            Path figure = out.resolveSibling(base + ".usage.png");
            ExpertUsage usage = latents.usage();
            Files.writeString(csv, usage.toCsv(), StandardCharsets.UTF_8);
            writeUsageFigure(usage, routing.name(), figure);
            ComputeCost cost = ComputeCost.of(routing.name(), usage, ForwardCost.of(model.expertConfig()),
                    routing.needsRouter() ? ForwardCost.of(model.routerConfig()) : null, cfg != 1.0);
            System.out.printf(Locale.ROOT, "wrote %d images (%s, %d steps, cfg %s, seed %d) to %s%n", latents.count(),
                    routing.name(), steps, cfg, seed, out);
            System.out.printf(Locale.ROOT, "expert usage: %s and %s; %.1f experts per step on average, "
                    + "%.4g GFLOPs per image%n", csv, figure, usage.meanActiveExperts(), cost.gflopsPerImage());
        }
        return 0;
    }

    static void writeUsageFigure(ExpertUsage usage, String strategy, Path file) {
        ChartFiles.writePng(ExpertUsageFigure.chart(usage, strategy), file);
    }
}
