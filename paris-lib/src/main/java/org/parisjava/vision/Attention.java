package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention without a mask, softmax(q k^T / sqrt(dh)) v, on already
 * projected tokens. Shapes: B batch, T tokens, D = H dh width, H heads.
 */
public final class Attention {

    private Attention() {
    }

    /**
     * Attends q to k, v, closing all three.
     *
     * @param q (B, T, D)
     * @param k (B, T, D)
     * @param v (B, T, D)
     * @return (B, T, D), heads concatenated in order as PyTorch's reshape does
     */
    public static NDArray attendClosing(NDArray q, NDArray k, NDArray v, int heads) {
        Shape s = q.getShape();
        long b = s.get(0);
        long t = s.get(1);
        long d = s.get(2);
        long dh = d / heads;
        float scale = (float) (1.0 / Math.sqrt(dh));
        NDArray scores;
        try (q; k;
             NDArray qh = q.reshape(b, t, heads, dh).transpose(0, 2, 1, 3); // (B, H, T, dh)
             NDArray kt = k.reshape(b, t, heads, dh).transpose(0, 2, 3, 1)) { // (B, H, dh, T)
            scores = qh.matMul(kt).muli(scale); // (B, H, T, T)
        }
        NDArray out;
        try (v; scores;
             NDArray attn = scores.softmax(-1); // (B, H, T, T)
             NDArray vh = v.reshape(b, t, heads, dh).transpose(0, 2, 1, 3)) { // (B, H, T, dh)
            out = attn.matMul(vh); // (B, H, T, dh)
        }
        try (out; NDArray tr = out.transpose(0, 2, 1, 3)) { // (B, T, H, dh)
            return tr.reshape(b, t, d); // (B, T, D)
        }
    }
}
