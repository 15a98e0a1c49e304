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
 * diffusers' VAE {@code Decoder}: conv_in, the mid block, then the levels in reverse, each
 * {@code layers_per_block + 1} resnets and (all but the last) a nearest-neighbour 2x upsampling
 * followed by a 3x3 convolution, then GroupNorm, SiLU and conv_out to the image channels.
 *
 * <p>Shapes: latents (B, C', h, w) (after post_quant_conv) -> images (B, Cout, h f, w f).
 */
final class VaeDecoder {
    private final Conv2dLayer convIn;
    private final VaeMidBlock mid;
    private final List<List<VaeResnetBlock>> resnets = new ArrayList<>();
    private final List<Conv2dLayer> upsamplers = new ArrayList<>();
    private final GroupNormLayer normOut;
    private final Conv2dLayer convOut;

    VaeDecoder(WeightSource w, AutoencoderKlConfig c) {
        int[] ch = c.blockOutChannels();
        int levels = ch.length;
        int groups = c.normGroups();
        int top = ch[levels - 1];
        this.convIn = Conv2dLayer.load(w, "decoder.conv_in", c.latentChannels(), top, 3, 1, 1);
        this.mid = new VaeMidBlock(w, "decoder.mid_block", top, groups, c.midBlockAttention());
        int out = top;
        for (int i = 0; i < levels; i++) {
            int prev = out;
            out = ch[levels - 1 - i];
            String p = "decoder.up_blocks." + i;
            List<VaeResnetBlock> level = new ArrayList<>();
            for (int j = 0; j < c.layersPerBlock() + 1; j++) {
                level.add(new VaeResnetBlock(w, p + ".resnets." + j, j == 0 ? prev : out, out, groups));
            }
            resnets.add(level);
            upsamplers.add(i == levels - 1 ? null : Conv2dLayer.load(w, p + ".upsamplers.0.conv", out, out, 3, 1, 1));
        }
        this.normOut = GroupNormLayer.load(w, "decoder.conv_norm_out", out, groups, AutoencoderKlConfig.EPS);
        this.convOut = Conv2dLayer.load(w, "decoder.conv_out", out, c.outChannels(), 3, 1, 1);
    }

    /** latents (B, C', h, w) -> images (B, Cout, h f, w f); does not close the input. */
    NDArray forward(NDArray latents) {
        NDArray h = mid.forwardClosing(convIn.forward(latents)); // (B, Cl, h, w)
        for (int i = 0; i < resnets.size(); i++) {
            for (VaeResnetBlock block : resnets.get(i)) {
                h = block.forwardClosing(h); // (B, Ci, H_i, W_i)
            }
            Conv2dLayer up = upsamplers.get(i);
            if (up != null) {
                h = up.forwardClosing(nearest2x(h)); // (B, Ci, 2 H_i, 2 W_i)
            }
        }
        NDArray n;
        try (NDArray x = h) {
            n = normOut.forward(x); // (B, C0, H, W)
        }
        return convOut.forwardClosing(Activations.siluClosing(n)); // (B, Cout, H, W)
    }

    /** Nearest-neighbour 2x upsampling (F.interpolate(scale_factor=2, mode="nearest")); closes {@code x}. */
    static NDArray nearest2x(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long hh = s.get(2);
        long ww = s.get(3);
        try (x;
             NDArray r = x.reshape(b, c, hh, 1, ww, 1);
             NDArray e = r.broadcast(b, c, hh, 2, ww, 2)) { // (B, C, H, 2, W, 2)
            return e.reshape(b, c, 2 * hh, 2 * ww); // (B, C, 2H, 2W)
        }
    }
}
