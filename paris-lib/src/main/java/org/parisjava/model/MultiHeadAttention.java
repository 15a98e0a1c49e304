package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product attention, self or cross, for the DiT expert and the router.
 *
 * <p>Self-attention projects q, k and v with ONE fused linear (D -> 3D): one matmul instead of three.
 * Cross-attention projects q from the tokens and k, v with one fused linear from the context.
 * DJL 0.35 has no fused SDPA, so the attention is two batched matmuls around a softmax; the 1/sqrt(dh)
 * scale is folded into q (T x dh values) rather than applied to the T x S scores.
 *
 * <p>Shapes: B batch, T query tokens, S key tokens (S = T for self, S = L for text), D hidden,
 * H heads, dh = D / H, Dc context width.
 * Inputs: self NDList(x (B, T, D) [, bias]); cross NDList(x (B, T, D), context (B, S, Dc) [, bias]),
 * where bias is an additive key bias broadcastable to (B, H, T, S), e.g. {@link #keyMaskBias}.
 * Output NDList((B, T, D)).
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Added to masked keys' scores: exp(-1e4) is 0 in fp32 and the value is finite in fp16. */
    private static final float MASKED = -1e4f;

    private final int hidden;
    private final int heads;
    private final boolean cross;
    private final Linear qkv;
    private final Linear q;
    private final Linear kv;
    private final Linear proj;

    private MultiHeadAttention(Builder b) {
        super(VERSION);
        this.hidden = b.hidden;
        this.heads = b.heads;
        this.cross = b.cross;
        if (cross) {
            this.qkv = null;
            this.q = addChildBlock("q", Layers.linear(hidden));
            this.kv = addChildBlock("kv", Layers.linear(2L * hidden));
        } else {
            this.qkv = addChildBlock("qkv", Layers.linear(3L * hidden));
            this.q = null;
            this.kv = null;
        }
        this.proj = addChildBlock("proj", b.zeroOutput ? Layers.zeroLinear(hidden) : Layers.linear(hidden));
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isCross() {
        return cross;
    }

    /**
     * The additive key bias for a 1/0 key mask: 0 where a key is kept, -1e4 where it is masked.
     *
     * @param mask (B, S) float, 1 keep, 0 drop
     * @return (B, 1, 1, S)
     */
    public static NDArray keyMaskBias(NDArray mask) {
        Shape s = mask.getShape();
        return mask.toType(DataType.FLOAT32, false).sub(1f).muli(-MASKED).reshape(s.get(0), 1, 1, s.get(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        Shape xs = x.getShape();
        long b = xs.get(0);
        long t = xs.get(1);
        long dh = hidden / heads;
        float scale = (float) (1.0 / Math.sqrt(dh));
        // temporaries are closed as soon as they are dead (see Layers); views keep their storage
        NDArray qh;
        NDArray kh;
        NDArray vh;
        NDArray bias;
        if (cross) {
            NDArray ctx = inputs.get(1); // (B, S, Dc)
            long s = ctx.getShape().get(1);
            bias = inputs.size() > 2 ? inputs.get(2) : null;
            try (NDArray qp = Layers.dense(q, ps, x, training)) { // (B, T, D)
                qh = Layers.scale(qp, scale).reshape(b, t, heads, dh).transpose(0, 2, 1, 3); // (B, H, T, dh)
            }
            try (NDArray kvp = Layers.dense(kv, ps, ctx, training); // (B, S, 2D)
                 NDArray kvh = kvp.reshape(b, s, 2, heads, dh).transpose(2, 0, 3, 1, 4); // (2, B, H, S, dh)
                 NDList parts = kvh.split(2, 0)) { // 2 x (1, B, H, S, dh): one backward op (a cat), not one per slice
                kh = parts.get(0).squeeze(0); // (B, H, S, dh)
                vh = parts.get(1).squeeze(0); // (B, H, S, dh)
            }
        } else {
            bias = inputs.size() > 1 ? inputs.get(1) : null;
            // split, not get(i): a selected slice's backward writes a full-size zero tensor per slice and adds
            // them up, the split's backward is one cat (the same values, bit for bit)
            try (NDArray p = Layers.dense(qkv, ps, x, training); // (B, T, 3D)
                 NDArray ph = p.reshape(b, t, 3, heads, dh).transpose(2, 0, 3, 1, 4); // (3, B, H, T, dh)
                 NDList parts = ph.split(3, 0); // 3 x (1, B, H, T, dh)
                 NDArray q0 = parts.get(0).squeeze(0)) { // (B, H, T, dh)
                qh = Layers.scale(q0, scale); // (B, H, T, dh)
                kh = parts.get(1).squeeze(0); // (B, H, T, dh)
                vh = parts.get(2).squeeze(0); // (B, H, T, dh)
            }
        }
        NDArray scores;
        try (qh; kh; NDArray kt = kh.transpose(0, 1, 3, 2)) { // (B, H, dh, S)
            scores = qh.matMul(kt); // (B, H, T, S)
        }
        if (bias != null) {
            scores.addi(bias); // (B, H, T, S)
        }
        NDArray out;
        try (NDArray sc = scores; vh; NDArray attn = sc.softmax(-1)) { // (B, H, T, S)
            out = attn.matMul(vh); // (B, H, T, dh)
        }
        NDArray merged;
        try (out; NDArray tr = out.transpose(0, 2, 1, 3)) { // (B, T, H, dh)
            merged = tr.reshape(b, t, hidden); // (B, T, D)
        }
        return new NDList(Layers.denseClosing(proj, ps, merged, training)); // (B, T, D)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (cross) {
            if (inputShapes.length < 2) {
                throw new IllegalArgumentException("Cross-attention needs the context shape to initialize");
            }
            q.initialize(manager, dataType, x);
            kv.initialize(manager, dataType, inputShapes[1]);
        } else {
            qkv.initialize(manager, dataType, x);
        }
        proj.initialize(manager, dataType, x);
    }

    /** Builder: {@code setHidden} and {@code setHeads} are required; cross-attention is optional. */
    public static final class Builder {
        private int hidden;
        private int heads;
        private boolean cross;
        private boolean zeroOutput;

        public Builder setHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Attend to a separate context (keys and values from a second input), e.g. text tokens. */
        public Builder optCross(boolean cross) {
            this.cross = cross;
            return this;
        }

        /** Start the output projection at zero, so the residual branch is silent at init (PixArt cross-attn). */
        public Builder optZeroOutput(boolean zeroOutput) {
            this.zeroOutput = zeroOutput;
            return this;
        }

        public MultiHeadAttention build() {
            if (hidden <= 0 || heads <= 0 || hidden % heads != 0) {
                throw new IllegalArgumentException("Invalid attention sizes: hidden " + hidden + ", heads " + heads);
            }
            return new MultiHeadAttention(this);
        }
    }
}
