package org.parisjava.latent;

import org.parisjava.run.ComputeDevice;
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

/**
 * A VAE through DJL: two TorchScript modules, an encoder images (B, 3, H, W) in [-1, 1] ->
 * latent mean (B, C', H/f, W/f) and a decoder back. The paper uses sd-vae-ft-mse (f = 8, C' = 4,
 * scale 0.18215): export {@code vae.encode(x).latent_dist.mean} and {@code vae.decode(z).sample}.
 * Encoding uses the mean, not a sample, so a dataset's latents are deterministic.
 */
public final class VaeCodec implements LatentCodec {

    /** sd-vae-ft-mse's latent scale. */
    public static final float SD_SCALE = 0.18215f;

    private final Model encoder;
    private final Model decoder;
    private final int latentChannels;
    private final int downsample;
    private final float scale;
    private final String description;

    private VaeCodec(Model encoder, Model decoder, int latentChannels, int downsample, float scale, String d) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.latentChannels = latentChannels;
        this.downsample = downsample;
        this.scale = scale;
        this.description = d;
    }

    /** sd-vae-ft-mse: 4 latent channels, downsampling 8, scale 0.18215. */
    public static VaeCodec loadSd(Path encoderFile, Path decoderFile) throws IOException {
        return load(encoderFile, decoderFile, 4, 8, SD_SCALE);
    }

    public static VaeCodec load(Path encoderFile, Path decoderFile, int latentChannels, int downsample, float scale)
            throws IOException {
        if (latentChannels <= 0 || downsample <= 0 || !(scale > 0)) {
            throw new IllegalArgumentException("Invalid VAE settings: channels " + latentChannels + ", downsample "
                    + downsample + ", scale " + scale);
        }
        Model enc = loadModel("vae-encoder", encoderFile);
        Model dec;
        try {
            dec = loadModel("vae-decoder", decoderFile);
        } catch (IOException e) {
            enc.close();
            throw e;
        }
        return new VaeCodec(enc, dec, latentChannels, downsample, scale, "vae(encoder=" + encoderFile.getFileName()
                + ",decoder=" + decoderFile.getFileName() + ",channels=" + latentChannels + ",downsample="
                + downsample + ",scale=" + scale + ")");
    }

    private static Model loadModel(String name, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("VAE model file not found: " + file);
        }
        Model m = Model.newInstance(name, ComputeDevice.current(), "PyTorch");
        try {
            m.load(file);
            return m;
        } catch (MalformedModelException | IOException e) {
            m.close();
            throw new IOException("Cannot load VAE model " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public NDArray encode(NDArray images) {
        Shape s = images.getShape();
        Shape want = latentShape((int) s.get(1), (int) s.get(2), (int) s.get(3));
        NDArray z = run(encoder, images); // (B, C', H', W')
        if (!z.getShape().slice(1).equals(want)) {
            throw new IllegalStateException("VAE encoder returned " + z.getShape() + " for images " + s
                    + "; expected (B, " + want + ")");
        }
        return z.muli(scale); // (B, C', H', W')
    }

    @Override
    public NDArray decode(NDArray latents) {
        Shape s = latents.getShape();
        if (s.dimension() != 4 || s.get(1) != latentChannels) {
            throw new IllegalArgumentException("VAE decode expects (B, " + latentChannels + ", h, w), got " + s);
        }
        try (NDArray unscaled = latents.div(scale)) {
            return run(decoder, unscaled); // (B, C, H, W)
        }
    }

    private static NDArray run(Model model, NDArray input) {
        NDManager target = input.getManager();
        try (NDManager scope = target.newSubManager()) {
            NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false);
            NDArray result = out.get(0).stopGradient(); // frozen: never part of a training graph
            result.attach(target);
            return result;
        }
    }

    @Override
    public Shape latentShape(int channels, int height, int width) {
        if (height % downsample != 0 || width % downsample != 0) {
            throw new IllegalArgumentException("Image " + height + "x" + width + " is not divisible by the VAE's "
                    + "downsampling factor " + downsample);
        }
        return new Shape(latentChannels, height / downsample, width / downsample);
    }

    @Override
    public float scale() {
        return scale;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}
