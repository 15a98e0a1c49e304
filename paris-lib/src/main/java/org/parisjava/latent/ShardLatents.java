package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;
import org.parisjava.data.ShardLatentsWriter;

/**
 * Encodes a shard's images once with a run's latent codec and stores the latents beside them
 * ({@code latents.f32}), as DiT and Paris precompute SD-VAE latents before training (arXiv 2212.09748,
 * arXiv 2510.03434): experts, monolith and router then read latents and never run the encoder.
 */
public final class ShardLatents {
    /** Images per encoder batch. */
    public static final int DEFAULT_BATCH = 16;

    private ShardLatents() {
    }

    /**
     * Encodes every image of the shard in {@code dir} with {@code codec} (images in [-1, 1] to latents
     * times the codec's scale) and records the codec and its scale in the manifest.
     *
     * @return the latent shape (C', H', W') of one image
     * @throws IllegalArgumentException when the codec refuses the images' shape, or a latent is not finite
     *                                  (naming the shard and the image)
     */
    public static ImageSpec encode(Path dir, LatentCodec codec, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("Invalid batch: " + batch);
        }
        Shard shard = Shard.open(dir);
        ImageSpec px = shard.spec();
        Shape ls = codec.latentShape(px.channels(), px.height(), px.width());
        ImageSpec latent = new ImageSpec((int) ls.get(0), (int) ls.get(1), (int) ls.get(2));
        int per = px.numel();
        float[] images = new float[batch * per];
        try (NDManager m = NDManager.newBaseManager();
             ShardLatentsWriter w = new ShardLatentsWriter(dir, codec.describe(), codec.scale(), latent)) {
            for (int from = 0; from < shard.count(); from += batch) {
                int b = Math.min(batch, shard.count() - from);
                for (int j = 0; j < b; j++) {
                    shard.imageToFloat(from + j, images, j * per);
                }
                try (NDManager bm = m.newSubManager()) {
                    NDArray x = bm.create(FloatBuffer.wrap(images, 0, b * per),
                            new Shape(b, px.channels(), px.height(), px.width())); // (B, C, H, W)
                    NDArray z = codec.encode(x); // (B, C', H', W')
                    if (!z.getShape().equals(new Shape(b, latent.channels(), latent.height(), latent.width()))) {
                        throw new IllegalStateException("Codec " + codec.describe() + " gave latents " + z.getShape()
                                + " for " + b + " images of " + px + ", its latent shape says " + latent);
                    }
                    float[] zs = z.toFloatArray();
                    for (int j = 0; j < b; j++) {
                        w.add(zs, j * latent.numel());
                    }
                }
            }
        }
        return latent;
    }
}
