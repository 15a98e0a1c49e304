package org.parisjava.vision;

import org.parisjava.io.HfModelFolder;

/**
 * The fields of a transformers {@code Dinov2Config} that shape the network (Oquab et al., arXiv
 * 2304.07193). The MLP is hidden x mlpRatio wide with an erf GELU; the SwiGLU variant (the giant
 * model), q/k/v without biases and register tokens ({@code Dinov2WithRegistersModel}) are not supported and are rejected.
 *
 * @param hidden          D, the token width (dinov2-large: 1024)
 * @param layers          transformer layers (24)
 * @param heads           attention heads (16)
 * @param mlpRatio        MLP width over D (4)
 * @param imageSize       the side the position table was trained for (518: a 37 x 37 grid)
 * @param patchSize       p, the patch side (14)
 * @param channels        input channels (3)
 * @param layerNormEps    epsilon of every LayerNorm (1e-6)
 * @param layerScaleValue the initial layer scale (1.0); the trained scales are weights
 * @param maskToken       whether the checkpoint holds the masked-patch token (true; unused here)
 */
public record Dinov2Config(int hidden, int layers, int heads, double mlpRatio, int imageSize, int patchSize,
        int channels, double layerNormEps, double layerScaleValue, boolean maskToken) {

    /** facebook/dinov2-large (ViT-L/14), the paper's clustering features. */
    public static final Dinov2Config DINOV2_LARGE = new Dinov2Config(1024, 24, 16, 4, 518, 14, 3, 1e-6, 1.0, true);

    public Dinov2Config {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("Invalid DINOv2 sizes: hidden " + hidden + ", layers " + layers
                    + ", heads " + heads);
        }
        if (patchSize <= 0 || imageSize < patchSize || channels <= 0 || !(mlpRatio > 0)) {
            throw new IllegalArgumentException("Invalid DINOv2 input: image " + imageSize + ", patch " + patchSize
                    + ", channels " + channels + ", mlp ratio " + mlpRatio);
        }
    }

    /** The MLP hidden width, int(hidden * mlp_ratio) as transformers computes it. */
    public int mlpHidden() {
        return (int) (hidden * mlpRatio);
    }

    /** The side of the trained position grid, image_size / patch_size. */
    public int grid() {
        return imageSize / patchSize;
    }

    /**
     * Reads the config.json of a transformers DINOv2 folder.
     *
     * @throws IllegalArgumentException naming the folder and the field when a size is missing, or the
     *                                  folder is a variant this reader does not implement
     */
    public static Dinov2Config from(HfModelFolder folder) {
        String type = folder.configString("model_type", "dinov2");
        if (!type.equals("dinov2")) {
            throw new IllegalArgumentException("Not a DINOv2 folder: " + folder.dir() + " has model_type " + type);
        }
        if (folder.config().has("use_swiglu_ffn") && folder.config().get("use_swiglu_ffn").getAsBoolean()) {
            throw new IllegalArgumentException("DINOv2 with a SwiGLU MLP (" + folder.dir() + ") is not supported");
        }
        String act = folder.configString("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException("DINOv2 activation " + act + " in " + folder.dir()
                    + " is not supported (gelu only)");
        }
        if (folder.config().has("qkv_bias") && !folder.config().get("qkv_bias").getAsBoolean()) {
            throw new IllegalArgumentException("DINOv2 without q, k, v biases (" + folder.dir() + ") is not supported");
        }
        boolean mask = !folder.config().has("use_mask_token") || folder.config().get("use_mask_token").getAsBoolean();
        return new Dinov2Config(folder.configInt("hidden_size"), folder.configInt("num_hidden_layers"),
                folder.configInt("num_attention_heads"), folder.configDouble("mlp_ratio", 4),
                folder.configInt("image_size"), folder.configInt("patch_size"),
                (int) folder.configDouble("num_channels", 3), folder.configDouble("layer_norm_eps", 1e-6),
                folder.configDouble("layerscale_value", 1.0), mask);
    }
}
