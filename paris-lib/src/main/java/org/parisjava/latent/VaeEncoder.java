package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.vision.Activations;
import org.parisjava.vision.Conv2dLayer;
import org.parisjava.vision.GroupNormLayer;
import org.parisjava.vision.WeightSource;

/**
 * diffusers' VAE {@code Encoder}: conv_in, per level {@code layers_per_block} resnets and (all but the
 * last level) a stride-2 3x3 convolution, the mid block, GroupNorm, SiLU, conv_out to 2 C' channels
 * (the mean and log-variance of the latent distribution, before quant_conv).
 *
 * <p>The downsampling convolution pads by one pixel on the right and bottom only, then convolves
 * without padding (diffusers' {@code Downsample2D} with padding 0, inherited from the original
 * latent-diffusion code): a symmetric padding of 1 would shift the grid by half a pixel.
 *
 * <p>Shapes: images (B, Cin, H, W) -> moments (B, 2 C', H/f, W/f) with f = 2^(levels - 1).
 */
final class VaeEncoder {
    private final Conv2dLayer convIn;
    private final List<List<VaeResnetBlock>> resnets = new ArrayList<>();
    private final List<Conv2dLayer> downsamplers = new ArrayList<>();
    private final VaeMidBlock mid;
    private final GroupNormLayer normOut;
    private final Conv2dLayer convOut;

    VaeEncoder(WeightSource w, AutoencoderKlConfig c) {
        int[] ch = c.blockOutChannels();
        int groups = c.normGroups();
        this.convIn = Conv2dLayer.load(w, "encoder.conv_in", c.inChannels(), ch[0], 3, 1, 1);
        int out = ch[0];
        for (int i = 0; i < ch.length; i++) {
            int in = out;
            out = ch[i];
            String p = "encoder.down_blocks." + i;
            List<VaeResnetBlock> level = new ArrayList<>();
            for (int j = 0; j < c.layersPerBlock(); j++) {
                level.add(new VaeResnetBlock(w, p + ".resnets." + j, j == 0 ? in : out, out, groups));
            }
            resnets.add(level);
            downsamplers.add(i == ch.length - 1 ? null : Conv2dLayer.load(w, p + ".downsamplers.0.conv", out, out, 3, 2, 0));
        }
        this.mid = new VaeMidBlock(w, "encoder.mid_block", out, groups, c.midBlockAttention());
        this.normOut = GroupNormLayer.load(w, "encoder.conv_norm_out", out, groups, AutoencoderKlConfig.EPS);
        this.convOut = Conv2dLayer.load(w, "encoder.conv_out", out, 2 * c.latentChannels(), 3, 1, 1);
    }

    /** images (B, Cin, H, W) -> moments (B, 2 C', H/f, W/f); does not close the input. */
    NDArray forward(NDArray images) {
        NDArray h = convIn.forward(images); // (B, C0, H, W)
        for (int i = 0; i < resnets.size(); i++) {
            for (VaeResnetBlock block : resnets.get(i)) {
                h = block.forwardClosing(h); // (B, Ci, H_i, W_i)
            }
            Conv2dLayer down = downsamplers.get(i);
            if (down != null) {
                try (NDArray x = h) {
                    h = down.forwardClosing(x.pad(new Shape(0, 1, 0, 1), 0)); // (B, Ci, H_i / 2, W_i / 2)
                }
            }
        }
        NDArray n;
        try (NDArray x = mid.forwardClosing(h)) { // (B, Cl, h, w)
            n = normOut.forward(x);
        }
        return convOut.forwardClosing(Activations.siluClosing(n)); // (B, 2 C', h, w)
    }
}
