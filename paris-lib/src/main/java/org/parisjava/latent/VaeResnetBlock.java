package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import org.parisjava.vision.Activations;
import org.parisjava.vision.Conv2dLayer;
import org.parisjava.vision.GroupNormLayer;
import org.parisjava.vision.WeightSource;

/**
 * diffusers' {@code ResnetBlock2D} without a time embedding: x + conv2(silu(norm2(conv1(silu(norm1(x)))))),
 * the skip through a 1x1 {@code conv_shortcut} when the width changes. Input (B, Cin, H, W), output
 * (B, Cout, H, W).
 */
final class VaeResnetBlock {
    private final GroupNormLayer norm1;
    private final Conv2dLayer conv1;
    private final GroupNormLayer norm2;
    private final Conv2dLayer conv2;
    private final Conv2dLayer shortcut;

    VaeResnetBlock(WeightSource w, String prefix, int in, int out, int groups) {
        this.norm1 = GroupNormLayer.load(w, prefix + ".norm1", in, groups, AutoencoderKlConfig.EPS);
        this.conv1 = Conv2dLayer.load(w, prefix + ".conv1", in, out, 3, 1, 1);
        this.norm2 = GroupNormLayer.load(w, prefix + ".norm2", out, groups, AutoencoderKlConfig.EPS);
        this.conv2 = Conv2dLayer.load(w, prefix + ".conv2", out, out, 3, 1, 1);
        this.shortcut = in == out ? null : Conv2dLayer.load(w, prefix + ".conv_shortcut", in, out, 1, 1, 0);
    }

    /** Runs the block; closes {@code x}. */
    NDArray forwardClosing(NDArray x) {
        NDArray h = conv1.forwardClosing(Activations.siluClosing(norm1.forward(x))); // (B, Cout, H, W)
        NDArray n = norm2.forward(h); // (B, Cout, H, W)
        h.close();
        h = conv2.forwardClosing(Activations.siluClosing(n)); // (B, Cout, H, W)
        if (shortcut == null) {
            h.addi(x);
            x.close();
            return h; // (B, Cout, H, W)
        }
        try (NDArray skip = shortcut.forwardClosing(x)) { // (B, Cout, H, W)
            return h.addi(skip);
        }
    }
}
