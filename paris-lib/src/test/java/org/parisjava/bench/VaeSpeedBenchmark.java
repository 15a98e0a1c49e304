package org.parisjava.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.parisjava.latent.AutoencoderKl;
import org.parisjava.latent.AutoencoderKlConfig;
import org.parisjava.latent.LatentDistribution;

/**
 * Encode and decode images/s of the Java AutoencoderKL at full size (sd-vae-ft-mse's config, random
 * weights, fp32, no gradient), for bench/vae-speed.sh; bench/vae_speed_torch.py is its PyTorch twin.
 * Prints one JSON line per measure.
 *
 * <p>Arguments: batch, side (px), repeats. Each repeat times one encode (to the posterior mean) and
 * one decode of the batch after one warm-up of each; the median over repeats is reported, also per
 * CPU-second of the process, and the process's peak resident memory (VmHWM) at the end.
 */
public final class VaeSpeedBenchmark {
    private VaeSpeedBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        AutoencoderKlConfig c = AutoencoderKlConfig.SD_VAE_FT_MSE;
        int f = c.downsampling();
        try (NDManager m = NDManager.newBaseManager(); AutoencoderKl vae = AutoencoderKl.random(c, m, 0)) {
            NDArray images = m.randomUniform(-1f, 1f, new Shape(batch, 3, side, side)); // (B, 3, S, S)
            NDArray latents = m.randomNormal(new Shape(batch, c.latentChannels(), side / f, side / f)); // (B, 4, s, s)
            double[] encWall = new double[repeats];
            double[] encCpu = new double[repeats];
            double[] decWall = new double[repeats];
            double[] decCpu = new double[repeats];
            encode(vae, images, m); // warm-up
            decode(vae, latents, m);
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                long c0 = ExpertSpeedBenchmark.cpuNanos();
                encode(vae, images, m);
                encWall[r] = batch / ((System.nanoTime() - t0) / 1e9);
                encCpu[r] = batch / ((ExpertSpeedBenchmark.cpuNanos() - c0) / 1e9);
                t0 = System.nanoTime();
                c0 = ExpertSpeedBenchmark.cpuNanos();
                decode(vae, latents, m);
                decWall[r] = batch / ((System.nanoTime() - t0) / 1e9);
                decCpu[r] = batch / ((ExpertSpeedBenchmark.cpuNanos() - c0) / 1e9);
            }
            report("encode_images_per_s", encWall, batch, side);
            report("encode_images_per_cpu_s", encCpu, batch, side);
            report("decode_images_per_s", decWall, batch, side);
            report("decode_images_per_cpu_s", decCpu, batch, side);
            report("peak_rss_mib", new double[] {peakRssMib()}, batch, side);
        }
    }

    private static void encode(AutoencoderKl vae, NDArray images, NDManager m) {
        try (NDManager scope = m.newSubManager(); NDArray x = images.duplicate()) {
            x.attach(scope);
            try (LatentDistribution d = vae.encode(x)) {
                d.mean().toFloatArray(); // force the result
            }
        }
    }

    private static void decode(AutoencoderKl vae, NDArray latents, NDManager m) {
        try (NDManager scope = m.newSubManager(); NDArray z = latents.duplicate()) {
            z.attach(scope);
            try (NDArray out = vae.decode(z)) {
                out.toFloatArray(); // force the result
            }
        }
    }

    /** The process's peak resident set (VmHWM from /proc/self/status), MiB; -1 where there is none. */
    static double peakRssMib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private static void report(String what, double[] values, int batch, int side) {
        StringBuilder raw = new StringBuilder();
        for (double v : values) {
            raw.append(raw.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"djl-0.35.1\", \"what\": \"%s\", \"value\": %.3f, \"batch\": %d, \"side\": %d, "
                        + "\"threads\": \"%s\", \"raw\": [%s]}", what, ExpertSpeedBenchmark.median(values), batch, side,
                System.getProperty("ai.djl.pytorch.num_threads", "default"), raw));
    }
}
