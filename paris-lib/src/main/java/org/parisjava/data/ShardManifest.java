package org.parisjava.data;

import java.util.List;

/**
 * What a shard holds, written last so that a shard without a manifest is known to be incomplete.
 *
 * @param cluster        the cluster this shard belongs to
 * @param count          number of samples
 * @param channels       image channels
 * @param height         image height
 * @param width          image width
 * @param sha256         SHA-256 over images.u8 then samples.jsonl
 * @param source         name of the dataset the samples came from
 * @param seed           seed of the run that wrote the shard
 * @param attributeNames evaluation attributes the samples carry
 * @param latents        the latents of the images, encoded once by the run's latent codec, or null in pixel
 *                       space (the identity codec): experts and router then train on the pixels
 */
public record ShardManifest(int cluster, long count, int channels, int height, int width, String sha256,
                            String source, long seed, List<String> attributeNames, Latents latents) {
    public static final String FILE = "manifest.json";
    public static final String IMAGES = "images.u8";
    public static final String SAMPLES = "samples.jsonl";
    public static final String LATENTS = "latents.f32";

    /** A pixel-space shard (no latents). */
    public ShardManifest(int cluster, long count, int channels, int height, int width, String sha256, String source,
                         long seed, List<String> attributeNames) {
        this(cluster, count, channels, height, width, sha256, source, seed, attributeNames, null);
    }

    /**
     * The latents file of a shard, {@code latents.f32}: float32 little-endian, (N, C, H, W), image after image,
     * already multiplied by the codec's scale (so a model diffuses them as they are, and sampling divides
     * the scale out before decoding).
     *
     * @param codec    the codec's description (e.g. {@code sd-vae(latent_channels=4,...)})
     * @param scale    the scale the codec applied after encoding (sd-vae-ft-mse: 0.18215)
     * @param channels latent channels C (4 for the SD-VAE; any count a codec gives)
     * @param height   latent height
     * @param width    latent width
     * @param sha256   SHA-256 of latents.f32
     */
    public record Latents(String codec, float scale, int channels, int height, int width, String sha256) {
        public ImageSpec spec() {
            return new ImageSpec(channels, height, width);
        }
    }

    public ImageSpec spec() {
        return new ImageSpec(channels, height, width);
    }

    /** The shape experts and router train on: the latents' when there are latents, else the images'. */
    public ImageSpec trainingSpec() {
        return latents == null ? spec() : latents.spec();
    }

    /** The same manifest with {@code l} as its latents. */
    public ShardManifest withLatents(Latents l) {
        return new ShardManifest(cluster, count, channels, height, width, sha256, source, seed, attributeNames, l);
    }
}
