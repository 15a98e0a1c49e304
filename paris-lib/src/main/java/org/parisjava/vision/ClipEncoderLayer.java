package org.parisjava.vision;

import ai.djl.ndarray.NDArray;

/**
 * One pre-LN layer of CLIP's vision transformer (Radford et al. 2021, arXiv 2103.00020):
 * x + attn(layer_norm1(x)), then x + mlp(layer_norm2(x)), the MLP D -> M -> D with quick_gelu
 * (x sigmoid(1.702 x)) or an erf GELU. Bidirectional attention (no mask), q, k, v and out with biases.
 * Weights under {@code encoder.layers.i.} as transformers names them. Shapes: B batch, T tokens,
 * D hidden. Input and output (B, T, D).
 */
final class ClipEncoderLayer {
    private final int heads;
    private final boolean quickGelu;
    private final LayerNormLayer norm1;
    private final LinearLayer query;
    private final LinearLayer key;
    private final LinearLayer value;
    private final LinearLayer output;
    private final LayerNormLayer norm2;
    private final LinearLayer fc1;
    private final LinearLayer fc2;

    ClipEncoderLayer(WeightSource w, String prefix, ClipVisionConfig c) {
        int d = c.hidden();
        float eps = (float) c.layerNormEps();
        this.heads = c.heads();
        this.quickGelu = c.hiddenAct().equals("quick_gelu");
        this.norm1 = LayerNormLayer.load(w, prefix + "layer_norm1", d, eps);
        this.query = LinearLayer.load(w, prefix + "self_attn.q_proj", d, d);
        this.key = LinearLayer.load(w, prefix + "self_attn.k_proj", d, d);
        this.value = LinearLayer.load(w, prefix + "self_attn.v_proj", d, d);
        this.output = LinearLayer.load(w, prefix + "self_attn.out_proj", d, d);
        this.norm2 = LayerNormLayer.load(w, prefix + "layer_norm2", d, eps);
        this.fc1 = LinearLayer.load(w, prefix + "mlp.fc1", d, c.intermediate());
        this.fc2 = LinearLayer.load(w, prefix + "mlp.fc2", c.intermediate(), d);
    }

    /** Runs the layer; closes {@code x}. */
    NDArray forwardClosing(NDArray x) {
        NDArray attn;
        try (NDArray h = norm1.forward(x)) { // (B, T, D)
            attn = Attention.attendClosing(query.forward(h), key.forward(h), value.forward(h), heads); // (B, T, D)
        }
        NDArray y = output.forwardClosing(attn).addi(x); // (B, T, D)
        x.close();
        NDArray m;
        try (NDArray h = norm2.forward(y)) { // (B, T, D)
            NDArray u = fc1.forward(h); // (B, T, M)
            m = fc2.forwardClosing(quickGelu ? Activations.quickGeluClosing(u) : Activations.geluClosing(u)); // (B, T, D)
        }
        NDArray out = m.addi(y); // (B, T, D), in m's storage
        y.close();
        return out;
    }
}
