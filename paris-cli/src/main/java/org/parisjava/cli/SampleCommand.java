package org.parisjava.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parisjava.data.ImageU8;
import org.parisjava.infer.ExpertSampler;
import org.parisjava.latent.LatentCodec;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.viz.ImageGrid;
import picocli.CommandLine.Command;
import org.parisjava.run.ComputeDevice;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris sample}: images from one trained model (its EMA weights) as a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Sample one model (an expert or the monolith) and write a PNG grid.")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true,
            description = "A checkpoint folder (.../checkpoints/step-N) or a model folder (experts/cluster-03).")
    Path checkpoint;

    @Option(names = "--prompt", required = true, description = "Caption; repeat the option for several (cycled over -n).")
    List<String> prompts;

    @Option(names = "-n", defaultValue = "16", description = "Images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--steps", defaultValue = "25", description = "Solver steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--cfg", defaultValue = "4", description = "Classifier-free guidance scale (default: ${DEFAULT-VALUE}).")
    float cfg;

    @Option(names = "--solver", defaultValue = "euler", description = "euler or heun (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", defaultValue = "4", description = "Pixel scale of the grid (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--text", defaultValue = "hashed", paramLabel = "hashed|hf:PATH",
            description = "the text encoder the model was trained with (run.json's text; default: ${DEFAULT-VALUE})")
    String text;

    @Option(names = "--latent", defaultValue = "identity", paramLabel = "identity|hf:PATH",
            description = "the latent space the model was trained in (run.json's latent): its VAE decodes the samples"
                    + " (default: ${DEFAULT-VALUE})")
    String latent;

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        device.apply();
        if (n < 1) {
            throw new IllegalArgumentException("Invalid -n: " + n);
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(prompts.get(i % prompts.size()));
        }
        boolean pixels = LatentCodecs.check(latent).equals(LatentCodecs.IDENTITY);
        try (NDManager m = ComputeDevice.newManager();
             LatentCodec codec = pixels ? null : LatentCodecs.open(latent);
             ExpertSampler sampler = ExpertSampler.load(checkpoint, m, text, codec)) {
            List<ImageU8> images = sampler.sampleImages(all, steps, cfg, solver, seed);
            ImageGrid.of(images).withColumns((int) Math.ceil(Math.sqrt(n))).withScale(scale).writePng(out);
            System.out.printf("wrote %d images from %s (step %d) to %s%n", n, sampler.checkpoint().dir(),
                    sampler.checkpoint().info().step(), out);
        }
        return 0;
    }
}
