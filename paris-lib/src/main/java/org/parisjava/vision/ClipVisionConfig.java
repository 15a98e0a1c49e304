package org.parisjava.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The sizes of CLIP's vision transformer (Radford et al. 2021, arXiv 2103.00020) and its projection
 * into the shared image-text space, as transformers' CLIPVisionConfig names them.
 *
 * @param hidden           D, the token width (ViT-L/14: 1024)
 * @param intermediate     the MLP width (4096)
 * @param layers           pre-LN encoder layers (24)
 * @param heads            attention heads (16)
 * @param imageSize        S, the side of the input the position table was trained for (224)
 * @param patchSize        p, the patch side (14: a 16 x 16 grid)
 * @param channels         input channels (3)
 * @param hiddenAct        {@code quick_gelu} (x sigmoid(1.702 x), OpenAI's CLIP) or {@code gelu} (exact, erf)
 * @param layerNormEps     epsilon of every LayerNorm (1e-5)
 * @param projectionDim    P, the width of the shared image-text space (768)
 */
public record ClipVisionConfig(int hidden, int intermediate, int layers, int heads, int imageSize, int patchSize,
        int channels, String hiddenAct, double layerNormEps, int projectionDim) {

    /** The vision tower of openai/clip-vit-large-patch14 (CLIP ViT-L/14). */
    public static final ClipVisionConfig VIT_L_14 = new ClipVisionConfig(1024, 4096, 24, 16, 224, 14, 3, "quick_gelu",
            1e-5, 768);

    public ClipVisionConfig {
        if (hidden < 1 || intermediate < 1 || layers < 1 || heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException("Invalid CLIP vision sizes: hidden " + hidden + ", mlp " + intermediate
                    + ", " + layers + " layers, " + heads + " heads");
        }
        if (patchSize < 1 || imageSize < patchSize || channels < 1 || projectionDim < 1) {
            throw new IllegalArgumentException("Invalid CLIP vision input: image " + imageSize + ", patch " + patchSize
                    + ", channels " + channels + ", projection " + projectionDim);
        }
        if (!hiddenAct.equals("quick_gelu") && !hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("Unsupported hidden_act '" + hiddenAct + "' (quick_gelu or gelu)");
        }
    }

    /** The side of the patch grid, S / p. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens per image: the CLS token and the grid's patches. */
    public int tokens() {
        return 1 + grid() * grid();
    }

    /**
     * Reads a transformers config.json: a full CLIPConfig (its {@code vision_config}, with the
     * top-level {@code projection_dim}) or a CLIPVisionConfig ({@code model_type clip_vision_model}).
     * Absent keys take CLIPVisionConfig's defaults.
     *
     * @param file the config file, named in errors
     * @throws IllegalArgumentException naming the file when the config is not a CLIP vision one or is invalid
     */
    public static ClipVisionConfig fromJson(JsonObject config, Path file) {
        boolean full = config.has("vision_config") && config.get("vision_config").isJsonObject();
        JsonObject c = full ? config.getAsJsonObject("vision_config") : config;
        String type = c.has("model_type") ? c.get("model_type").getAsString() : "clip_vision_model";
        if (!type.equals("clip_vision_model")) {
            throw new IllegalArgumentException("Not a CLIP vision config: " + file + " has model_type " + type
                    + " (expected clip with a vision_config, or clip_vision_model)");
        }
        try {
            int projection = full && config.has("projection_dim") ? config.get("projection_dim").getAsInt()
                    : integer(c, "projection_dim", 512);
            return new ClipVisionConfig(integer(c, "hidden_size", 768), integer(c, "intermediate_size", 3072),
                    integer(c, "num_hidden_layers", 12), integer(c, "num_attention_heads", 12),
                    integer(c, "image_size", 224), integer(c, "patch_size", 32), integer(c, "num_channels", 3),
                    c.has("hidden_act") ? c.get("hidden_act").getAsString() : "quick_gelu",
                    c.has("layer_norm_eps") ? c.get("layer_norm_eps").getAsDouble() : 1e-5, projection);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("Invalid CLIP vision config " + file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject c, String key, int fallback) {
        JsonElement e = c.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }
}
