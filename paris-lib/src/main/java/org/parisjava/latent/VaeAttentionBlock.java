package org.parisjava.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.parisjava.vision.Attention;
import org.parisjava.vision.GroupNormLayer;
import org.parisjava.vision.LinearLayer;
import org.parisjava.vision.WeightSource;

/**
 * The single-head self-attention block of the VAE's mid blocks (diffusers' {@code Attention} built
 * with {@code _from_deprecated_attn_block}): GroupNorm, every pixel a token, q/k/v projections of
 * width C, softmax(q k^T / sqrt(C)) v, an output projection, plus the input. Weights
 * {@code group_norm}, {@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}; checkpoints saved
 * before diffusers 0.14 (sd-vae-ft-mse among them) spell them {@code query}, {@code key},
 * {@code value}, {@code proj_attn}, and both spellings load. Input and output (B, C, H, W).
 */
final class VaeAttentionBlock {
    private final GroupNormLayer norm;
    private final LinearLayer query;
    private final LinearLayer key;
    private final LinearLayer value;
    private final LinearLayer out;

    VaeAttentionBlock(WeightSource w, String prefix, int channels, int groups) {
        this.norm = GroupNormLayer.load(w, prefix + ".group_norm", channels, groups, AutoencoderKlConfig.EPS);
        this.query = projection(w, prefix, "to_q", "query", channels);
        this.key = projection(w, prefix, "to_k", "key", channels);
        this.value = projection(w, prefix, "to_v", "value", channels);
        this.out = projection(w, prefix, "to_out.0", "proj_attn", channels);
    }

    private static LinearLayer projection(WeightSource w, String prefix, String name, String legacy, int c) {
        String n = !w.has(prefix + "." + name + ".weight") && w.has(prefix + "." + legacy + ".weight") ? legacy : name;
        return LinearLayer.load(w, prefix + "." + n, c, c);
    }

    /** Runs the block; closes {@code x}. */
    NDArray forwardClosing(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long t = s.get(2) * s.get(3);
        NDArray attended;
        try (NDArray n = norm.forward(x); // (B, C, H, W)
             NDArray flat = n.reshape(b, c, t); // (B, C, T)
             NDArray tokens = flat.transpose(0, 2, 1)) { // (B, T, C)
            attended = Attention.attendClosing(query.forward(tokens), key.forward(tokens), value.forward(tokens), 1);
        }
        try (NDArray o = out.forwardClosing(attended); // (B, T, C)
             NDArray back = o.transpose(0, 2, 1)) { // (B, C, T)
            NDArray y = back.reshape(s).addi(x); // (B, C, H, W)
            x.close();
            return y;
        }
    }
}
