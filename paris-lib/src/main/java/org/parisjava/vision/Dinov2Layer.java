package org.parisjava.vision;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm transformer layer of DINOv2 with layer scale (CaiT, arXiv 2103.17239):
 * x + lambda1 * attn(norm1(x)), then x + lambda2 * mlp(norm2(x)), MLP D -> rD -> D with an erf GELU.
 * Weights under {@code encoder.layer.i.}, spelled as the released checkpoints spell them
 * ({@code attention.attention.query}, {@code attention.output.dense}); the names transformers 5
 * uses in memory ({@code attention.q_proj}, {@code attention.o_proj}) are accepted too.
 * Shapes: B batch, T tokens, D hidden. Input and output (B, T, D).
 */
final class Dinov2Layer {
    private final int heads;
    private final LayerNormLayer norm1;
    private final LinearLayer query;
    private final LinearLayer key;
    private final LinearLayer value;
    private final LinearLayer output;
    private final NDArray lambda1; // (D)
    private final LayerNormLayer norm2;
    private final LinearLayer fc1;
    private final LinearLayer fc2;
    private final NDArray lambda2; // (D)

    Dinov2Layer(WeightSource w, String prefix, Dinov2Config c) {
        int d = c.hidden();
        float eps = (float) c.layerNormEps();
        this.heads = c.heads();
        this.norm1 = LayerNormLayer.load(w, prefix + "norm1", d, eps);
        this.query = projection(w, prefix, "attention.attention.query", "attention.q_proj", d);
        this.key = projection(w, prefix, "attention.attention.key", "attention.k_proj", d);
        this.value = projection(w, prefix, "attention.attention.value", "attention.v_proj", d);
        this.output = projection(w, prefix, "attention.output.dense", "attention.o_proj", d);
        this.lambda1 = w.take(prefix + "layer_scale1.lambda1", d);
        this.norm2 = LayerNormLayer.load(w, prefix + "norm2", d, eps);
        this.fc1 = LinearLayer.load(w, prefix + "mlp.fc1", d, c.mlpHidden());
        this.fc2 = LinearLayer.load(w, prefix + "mlp.fc2", c.mlpHidden(), d);
        this.lambda2 = w.take(prefix + "layer_scale2.lambda1", d);
    }

    private static LinearLayer projection(WeightSource w, String prefix, String released, String renamed, int d) {
        String name = !w.has(prefix + released + ".weight") && w.has(prefix + renamed + ".weight") ? renamed : released;
        return LinearLayer.load(w, prefix + name, d, d);
    }

    /** Runs the layer; closes {@code x}. */
    NDArray forwardClosing(NDArray x) {
        NDArray attn;
        try (NDArray h = norm1.forward(x)) { // (B, T, D)
            attn = Attention.attendClosing(query.forward(h), key.forward(h), value.forward(h), heads); // (B, T, D)
        }
        NDArray y = output.forwardClosing(attn).muli(lambda1).addi(x); // (B, T, D)
        x.close();
        NDArray m;
        try (NDArray h = norm2.forward(y)) { // (B, T, D)
            m = fc2.forwardClosing(Activations.geluClosing(fc1.forward(h))); // (B, T, D)
        }
        NDArray out = m.muli(lambda2).addi(y); // (B, T, D), in m's storage
        y.close();
        return out;
    }
}
