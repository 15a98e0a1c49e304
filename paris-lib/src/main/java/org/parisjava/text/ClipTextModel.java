package org.parisjava.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.parisjava.io.HfModelFolder;

/**
 * CLIP's text transformer (Radford et al. 2021, arXiv 2103.00020) in transformers' CLIPTextModel
 * layout, for inference: token plus learned position embeddings, {@code layers} pre-LN blocks of
 * causal multi-head self-attention and an MLP (quick_gelu or gelu), a final layer norm. The pooled
 * output is the final state at the end token. Like Stable Diffusion, no padding mask is applied:
 * the causal mask alone decides what each position sees.
 *
 * <p>Letters: B batch, L tokens (77), D hidden, H heads, Dh = D / H, M the MLP width.
 *
 * <p>Weights live on the manager given at load time; {@link #forward} works in a sub-manager and
 * attaches only its outputs to the caller's manager. Safe to call from one thread at a time.
 */
public final class ClipTextModel implements AutoCloseable {
    private static final float QUICK_GELU = 1.702f; // OpenAI CLIP's sigmoid approximation of GELU

    private final ClipTextConfig config;
    private final NDManager weights;
    private final NDArray tokenEmbedding; // (V, D)
    private final NDArray positionEmbedding; // (L, D)
    private final List<Layer> blocks;
    private final NDArray finalNormWeight; // (D)
    private final NDArray finalNormBias; // (D)
    private final NDArray causalMask; // (L, L): 0 on and below the diagonal, -inf above

    /** One pre-LN block; q, k and v are stacked into one (3 D, D) projection. */
    private record Layer(NDArray norm1W, NDArray norm1B, NDArray qkvW, NDArray qkvB, NDArray outW, NDArray outB,
            NDArray norm2W, NDArray norm2B, NDArray fc1W, NDArray fc1B, NDArray fc2W, NDArray fc2B) {
    }

    /** last_hidden_state (B, L, D) and pooler_output (B, D), float32. */
    public record Output(NDArray lastHiddenState, NDArray pooled) {
    }

    private ClipTextModel(ClipTextConfig config, NDManager weights, NDArray tokenEmbedding, NDArray positionEmbedding,
            List<Layer> blocks, NDArray finalNormWeight, NDArray finalNormBias) {
        this.config = config;
        this.weights = weights;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks;
        this.finalNormWeight = finalNormWeight;
        this.finalNormBias = finalNormBias;
        int l = config.maxPositions();
        float[] mask = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                mask[i * l + j] = Float.NEGATIVE_INFINITY; // position i never sees a later token j
            }
        }
        this.causalMask = weights.create(mask, new Shape(l, l)); // (L, L)
    }

    /**
     * Loads the text model from a transformers folder: a CLIPTextModel (weights named
     * {@code text_model.*} as transformers 4.x saved them, or without the prefix as 5.x does), or a
     * full CLIPModel, whose vision tower and projections are left unread.
     *
     * @param folder  an open model folder; every tensor is claimed or deliberately ignored
     * @param manager owns the weights until {@link #close()}
     * @throws IllegalArgumentException naming the tensor and file for a missing, unexpected or
     *                                  wrongly shaped weight, or the config key that is invalid
     */
    public static ClipTextModel load(HfModelFolder folder, NDManager manager) {
        ClipTextConfig c = ClipTextConfig.fromJson(folder.config(), folder.dir().resolve("config.json"));
        String p = folder.has("text_model.embeddings.token_embedding.weight") ? "text_model." : "";
        long d = c.hiddenSize();
        long m = c.intermediateSize();
        NDManager w = manager.newSubManager();
        try {
            NDArray tok = folder.take(p + "embeddings.token_embedding.weight", w, c.vocabSize(), d);
            NDArray pos = folder.take(p + "embeddings.position_embedding.weight", w, c.maxPositions(), d);
            List<Layer> blocks = new ArrayList<>();
            for (int i = 0; i < c.layers(); i++) {
                String b = p + "encoder.layers." + i + ".";
                NDArray q = folder.take(b + "self_attn.q_proj.weight", w, d, d);
                NDArray k = folder.take(b + "self_attn.k_proj.weight", w, d, d);
                NDArray v = folder.take(b + "self_attn.v_proj.weight", w, d, d);
                NDArray qb = folder.take(b + "self_attn.q_proj.bias", w, d);
                NDArray kb = folder.take(b + "self_attn.k_proj.bias", w, d);
                NDArray vb = folder.take(b + "self_attn.v_proj.bias", w, d);
                blocks.add(new Layer(
                        folder.take(b + "layer_norm1.weight", w, d), folder.take(b + "layer_norm1.bias", w, d),
                        q.concat(k, 0).concat(v, 0), qb.concat(kb, 0).concat(vb, 0),
                        folder.take(b + "self_attn.out_proj.weight", w, d, d), folder.take(b + "self_attn.out_proj.bias", w, d),
                        folder.take(b + "layer_norm2.weight", w, d), folder.take(b + "layer_norm2.bias", w, d),
                        folder.take(b + "mlp.fc1.weight", w, m, d), folder.take(b + "mlp.fc1.bias", w, m),
                        folder.take(b + "mlp.fc2.weight", w, d, m), folder.take(b + "mlp.fc2.bias", w, d)));
                q.close();
                k.close();
                v.close();
                qb.close();
                kb.close();
                vb.close();
            }
            NDArray normW = folder.take(p + "final_layer_norm.weight", w, d);
            NDArray normB = folder.take(p + "final_layer_norm.bias", w, d);
            // not part of the text transformer: a saved position-id buffer, a full CLIPModel's other parts
            folder.ignore(n -> n.endsWith("position_ids") || n.startsWith("vision_model.")
                    || n.equals("visual_projection.weight") || n.equals("text_projection.weight")
                    || n.equals("logit_scale"));
            folder.finish();
            return new ClipTextModel(c, w, tok, pos, blocks, normW, normB);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /**
     * A model of the given sizes with random weights (normal, std 0.02; norms at 1 and 0), for
     * benchmarks and parameter counts at full size without any file.
     */
    public static ClipTextModel random(ClipTextConfig c, long seed, NDManager manager) {
        NDManager w = manager.newSubManager();
        Random rng = new Random(seed);
        long d = c.hiddenSize();
        long m = c.intermediateSize();
        List<Layer> blocks = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            blocks.add(new Layer(w.ones(new Shape(d)), w.zeros(new Shape(d)),
                    normal(w, rng, 3 * d, d), w.zeros(new Shape(3 * d)), normal(w, rng, d, d), w.zeros(new Shape(d)),
                    w.ones(new Shape(d)), w.zeros(new Shape(d)),
                    normal(w, rng, m, d), w.zeros(new Shape(m)), normal(w, rng, d, m), w.zeros(new Shape(d))));
        }
        return new ClipTextModel(c, w, normal(w, rng, c.vocabSize(), d), normal(w, rng, c.maxPositions(), d), blocks,
                w.ones(new Shape(d)), w.zeros(new Shape(d)));
    }

    private static NDArray normal(NDManager m, Random rng, long rows, long cols) {
        m.getEngine().setRandomSeed(rng.nextInt());
        return m.randomNormal(0f, 0.02f, new Shape(rows, cols), DataType.FLOAT32);
    }

    public ClipTextConfig config() {
        return config;
    }

    /** Number of weights actually held, counted from the arrays (q, k, v stacked count the same). */
    public long parameterCount() {
        long n = tokenEmbedding.size() + positionEmbedding.size() + finalNormWeight.size() + finalNormBias.size();
        for (Layer b : blocks) {
            for (NDArray a : new NDArray[] {b.norm1W, b.norm1B, b.qkvW, b.qkvB, b.outW, b.outB, b.norm2W, b.norm2B,
                    b.fc1W, b.fc1B, b.fc2W, b.fc2B}) {
                n += a.size();
            }
        }
        return n;
    }

    /**
     * Runs the text transformer.
     *
     * @param ids     token ids (B, L) int64 with L = max_position_embeddings, e.g. from a {@link ClipTokenizer}
     * @param manager receives the two outputs
     * @return last_hidden_state (B, L, D) and pooled (B, D): the state at the first end token, or at the
     *         largest id when the config's eos_token_id is the legacy 2 (transformers' rule)
     */
    public Output forward(NDArray ids, NDManager manager) {
        Shape s = ids.getShape();
        int l = config.maxPositions();
        if (s.dimension() != 2 || s.get(1) != l) {
            throw new IllegalArgumentException("Token ids must be (B, " + l + "), got " + s);
        }
        int batch = (int) s.get(0);
        long[] rows = ids.toType(DataType.INT64, false).toLongArray();
        long[] poolAt = new long[batch];
        for (int b = 0; b < batch; b++) {
            poolAt[b] = (long) b * l + eosPosition(rows, b * l, l);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray idArray = scope.create(rows, new Shape(batch, l)); // (B, L)
            NDArrayEx ex = idArray.getNDArrayInternal();
            NDArray x = ex.embedding(idArray, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow(); // (B, L, D)
            x = x.add(positionEmbedding); // (B, L, D)
            for (Layer b : blocks) {
                x = x.add(attention(b, layerNorm(x, b.norm1W, b.norm1B), batch)); // (B, L, D)
                x = x.add(mlp(b, layerNorm(x, b.norm2W, b.norm2B))); // (B, L, D)
            }
            NDArray last = layerNorm(x, finalNormWeight, finalNormBias); // (B, L, D)
            NDArray flat = last.reshape(batch * (long) l, config.hiddenSize()); // (B L, D)
            NDArray pooled = ex.embedding(scope.create(poolAt), flat, SparseFormat.DENSE).singletonOrThrow(); // (B, D)
            last.attach(manager);
            pooled.attach(manager);
            return new Output(last, pooled);
        }
    }

    /** Offset within the row of the token whose final state is pooled. */
    private int eosPosition(long[] ids, int from, int l) {
        int best = 0;
        for (int j = 0; j < l; j++) {
            long id = ids[from + j];
            if (config.eosTokenId() == 2) {
                if (id > ids[from + best]) { // argmax: the first largest id, CLIP's end token
                    best = j;
                }
            } else if (id == config.eosTokenId()) {
                return j;
            }
        }
        return best; // transformers picks the first position as well when no end token is present
    }

    private NDArray attention(Layer b, NDArray h, int batch) {
        int l = config.maxPositions();
        int heads = config.heads();
        int dh = config.headDim();
        NDArray qkv = linear(h, b.qkvW, b.qkvB) // (B, L, 3 D)
                .reshape(batch, l, 3, heads, dh).transpose(2, 0, 3, 1, 4); // (3, B, H, L, Dh)
        NDArray q = qkv.get(0).mul(1.0 / Math.sqrt(dh)); // (B, H, L, Dh)
        NDArray k = qkv.get(1); // (B, H, L, Dh)
        NDArray v = qkv.get(2); // (B, H, L, Dh)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(causalMask); // (B, H, L, L)
        NDArray o = scores.softmax(-1).matMul(v); // (B, H, L, Dh)
        o = o.transpose(0, 2, 1, 3).reshape(batch, l, config.hiddenSize()); // (B, L, D)
        return linear(o, b.outW, b.outB); // (B, L, D)
    }

    private NDArray mlp(Layer b, NDArray h) {
        NDArray u = linear(h, b.fc1W, b.fc1B); // (B, L, M)
        u = config.hiddenAct().equals("gelu")
                ? u.getNDArrayInternal().gelu() // exact (erf) GELU, as torch's default
                : u.mul(u.mul(QUICK_GELU).getNDArrayInternal().sigmoid()); // x sigmoid(1.702 x)
        return linear(u, b.fc2W, b.fc2B); // (B, L, D)
    }

    private NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(config.hiddenSize()), weight, bias,
                (float) config.layerNormEps()).singletonOrThrow();
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    @Override
    public void close() {
        weights.close();
    }
}
