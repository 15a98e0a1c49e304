package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.parisjava.io.HfModelFolder;
import org.parisjava.vision.Conv2dLayer;
import org.parisjava.vision.WeightSource;

/**
 * The KL autoencoder of latent diffusion (Rombach et al., arXiv 2112.10752) in diffusers'
 * {@code AutoencoderKL} layout, read from its Hugging Face folder (config.json +
 * diffusion_pytorch_model.safetensors; stabilityai/sd-vae-ft-mse, or a pipeline's {@code vae/}).
 * Inference only, float32.
 *
 * <p>Shapes: B batch, images (B, Cin, H, W) in [-1, 1] with H, W multiples of f = 2^(levels - 1);
 * latents (B, C', H/f, W/f), here UNSCALED (the diffusion space multiplies them by the scaling
 * factor, see {@link HfVaeCodec}).
 *
 * <p>Memory: one call holds a few activations of the whole batch at the widest level; for 256 px
 * images and sd-vae-ft-mse that is the 128-channel 256 x 256 maps, 32 MiB per image each. Callers
 * slice big batches ({@link HfVaeCodec} does). Not thread-safe.
 */
public final class AutoencoderKl implements AutoCloseable {
    private final AutoencoderKlConfig config;
    private final NDManager manager;
    private final VaeEncoder encoder;
    private final VaeDecoder decoder;
    private final Conv2dLayer quantConv;
    private final Conv2dLayer postQuantConv;

    private AutoencoderKl(AutoencoderKlConfig c, WeightSource w) {
        this.config = c;
        this.manager = w.manager();
        int z = c.latentChannels();
        this.encoder = new VaeEncoder(w, c);
        this.decoder = new VaeDecoder(w, c);
        this.quantConv = c.quantConv() ? Conv2dLayer.load(w, "quant_conv", 2 * z, 2 * z, 1, 1, 0) : null;
        this.postQuantConv = c.quantConv() ? Conv2dLayer.load(w, "post_quant_conv", z, z, 1, 1, 0) : null;
    }

    /**
     * Loads a diffusers AutoencoderKL folder; every tensor in it must be used.
     *
     * @param parent the manager the model's weights live under (as a child manager closed by {@link #close})
     * @throws IllegalArgumentException naming the folder and tensor for a missing, unexpected or
     *                                  wrongly shaped weight, or an unsupported config
     */
    public static AutoencoderKl load(Path dir, NDManager parent) {
        try (HfModelFolder folder = HfModelFolder.open(dir)) {
            AutoencoderKlConfig c = AutoencoderKlConfig.from(folder);
            NDManager m = parent.newSubManager();
            try {
                AutoencoderKl model = new AutoencoderKl(c, WeightSource.of(folder, m));
                folder.finish();
                return model;
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }

    /**
     * A model of {@code config} with random weights ({@link WeightSource#random}), for speed and memory
     * measurements at full size without the real files.
     */
    public static AutoencoderKl random(AutoencoderKlConfig config, NDManager parent, long seed) {
        return new AutoencoderKl(config, WeightSource.random(parent.newSubManager(), seed));
    }

    /** The exact number of weights of {@code config}, as diffusers counts them, allocating none. */
    public static long parameterCount(AutoencoderKlConfig config) {
        WeightSource.Counter counter = new WeightSource.Counter();
        new AutoencoderKl(config, counter);
        return counter.parameters();
    }

    public AutoencoderKlConfig config() {
        return config;
    }

    /**
     * The latent distribution of {@code images} ({@code vae.encode(x).latent_dist}).
     *
     * @param images (B, Cin, H, W) in [-1, 1], H and W multiples of f
     * @return mean and clamped log-variance, (B, C', H/f, W/f) each, in the images' manager
     */
    public LatentDistribution encode(NDArray images) {
        Shape s = images.getShape();
        int f = config.downsampling();
        if (s.dimension() != 4 || s.get(1) != config.inChannels() || s.get(2) % f != 0 || s.get(3) % f != 0) {
            throw new IllegalArgumentException("AutoencoderKL encodes (B, " + config.inChannels() + ", H, W) with H, W "
                    + "multiples of " + f + ", got " + s);
        }
        NDArray raw = encoder.forward(images); // (B, 2 C', h, w)
        try (NDArray moments = quantConv == null ? raw : quantConv.forwardClosing(raw);
             NDList halves = moments.split(2, 1)) { // 2 x (B, C', h, w)
            NDArray mean = halves.get(0).duplicate();
            NDArray logVar = halves.get(1).clip(LatentDistribution.MIN_LOG_VARIANCE, LatentDistribution.MAX_LOG_VARIANCE);
            return new LatentDistribution(mean, logVar);
        }
    }

    /**
     * Pixels from unscaled latents ({@code vae.decode(z).sample}).
     *
     * @param latents (B, C', h, w)
     * @return (B, Cout, h f, w f), roughly in [-1, 1] (not clipped), in the latents' manager
     */
    public NDArray decode(NDArray latents) {
        Shape s = latents.getShape();
        if (s.dimension() != 4 || s.get(1) != config.latentChannels()) {
            throw new IllegalArgumentException("AutoencoderKL decodes (B, " + config.latentChannels() + ", h, w), got " + s);
        }
        if (postQuantConv == null) {
            return decoder.forward(latents);
        }
        try (NDArray z = postQuantConv.forward(latents)) { // (B, C', h, w)
            return decoder.forward(z); // (B, Cout, H, W)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
