package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import org.parisjava.vision.WeightSource;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnet, attention, resnet at the lowest
 * resolution (sd-vae-ft-mse: 512 channels, 32 x 32 for 256 px images). Input and output (B, C, h, w).
 */
final class VaeMidBlock {
    private final VaeResnetBlock first;
    private final VaeAttentionBlock attention;
    private final VaeResnetBlock second;

    VaeMidBlock(WeightSource w, String prefix, int channels, int groups, boolean withAttention) {
        this.first = new VaeResnetBlock(w, prefix + ".resnets.0", channels, channels, groups);
        this.attention = withAttention ? new VaeAttentionBlock(w, prefix + ".attentions.0", channels, groups) : null;
        this.second = new VaeResnetBlock(w, prefix + ".resnets.1", channels, channels, groups);
    }

    /** Runs the block; closes {@code x}. */
    NDArray forwardClosing(NDArray x) {
        NDArray h = first.forwardClosing(x);
        if (attention != null) {
            h = attention.forwardClosing(h);
        }
        return second.forwardClosing(h); // (B, C, h, w)
    }
}
