package org.parisjava.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The sizes of a CLIP text transformer (Radford et al. 2021, arXiv 2103.00020), as transformers'
 * CLIPTextConfig names them.
 *
 * @param vocabSize             V, the token vocabulary (49,408 for CLIP)
 * @param hiddenSize            D, the token width
 * @param intermediateSize      the MLP width (4 D for CLIP)
 * @param layers                number of pre-LN transformer blocks
 * @param heads                 attention heads H (D divisible by H)
 * @param maxPositions          L, learned positions and the padded caption length (77)
 * @param hiddenAct             {@code quick_gelu} (x sigmoid(1.702 x), OpenAI's CLIP) or {@code gelu} (exact, erf)
 * @param layerNormEps          epsilon of every layer norm
 * @param eosTokenId            the end token id; the legacy value 2 means "the pooled token is the
 *                              position of the largest id", as transformers reads it
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads,
        int maxPositions, String hiddenAct, double layerNormEps, int eosTokenId) {

    /** The text tower of openai/clip-vit-large-patch14 (CLIP ViT-L/14), the one Stable Diffusion 1.x and Paris use. */
    public static final ClipTextConfig VIT_L_14 = new ClipTextConfig(49408, 768, 3072, 12, 12, 77, "quick_gelu",
            1e-5, 2);

    public ClipTextConfig {
        if (vocabSize < 1 || hiddenSize < 1 || intermediateSize < 1 || layers < 1 || heads < 1 || maxPositions < 2) {
            throw new IllegalArgumentException("Invalid CLIP text sizes: " + vocabSize + " tokens, hidden " + hiddenSize
                    + ", mlp " + intermediateSize + ", " + layers + " layers, " + heads + " heads, " + maxPositions
                    + " positions");
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by "
                    + heads + " attention heads");
        }
        if (!hiddenAct.equals("quick_gelu") && !hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("Unsupported hidden_act '" + hiddenAct + "' (quick_gelu or gelu)");
        }
    }

    /**
     * Reads a transformers config.json: a CLIPTextConfig ({@code model_type clip_text_model}) or a full
     * CLIPConfig whose {@code text_config} holds it. Absent keys take CLIPTextConfig's defaults.
     *
     * @param file the config file, named in errors
     */
    public static ClipTextConfig fromJson(JsonObject config, Path file) {
        JsonObject c = config.has("text_config") && config.get("text_config").isJsonObject()
                ? config.getAsJsonObject("text_config") : config;
        try {
            return new ClipTextConfig(integer(c, "vocab_size", 49408), integer(c, "hidden_size", 512),
                    integer(c, "intermediate_size", 2048), integer(c, "num_hidden_layers", 12),
                    integer(c, "num_attention_heads", 8), integer(c, "max_position_embeddings", 77),
                    c.has("hidden_act") ? c.get("hidden_act").getAsString() : "quick_gelu",
                    c.has("layer_norm_eps") ? c.get("layer_norm_eps").getAsDouble() : 1e-5,
                    integer(c, "eos_token_id", 2));
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("Invalid CLIP text config " + file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject c, String key, int fallback) {
        JsonElement e = c.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    /** Dh = D / H. */
    public int headDim() {
        return hiddenSize / heads;
    }

    /**
     * The number of weights, counted from the sizes alone: token and position embeddings, per layer two
     * layer norms, q/k/v/out projections and the two MLP layers (all with biases), and the final norm.
     */
    public long parameterCount() {
        long d = hiddenSize;
        long m = intermediateSize;
        long embeddings = (long) vocabSize * d + (long) maxPositions * d;
        long perLayer = 2 * (2 * d) + 4 * (d * d + d) + (d * m + m) + (m * d + d);
        return embeddings + layers * perLayer + 2 * d;
    }
}
