package org.parisjava.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Size of a DiT expert, as one validated record with a named-preset registry (the DiT reference's
 * {@code DiT_models} map). Presets: {@code smoke} and {@code demo} for CPU runs, {@code DiT-B/2} and
 * {@code DiT-XL/2} as in the Paris paper (latent 32x32x4 from sd-vae-ft-mse, CLIP ViT-L/14 tokens
 * 77 x 768).
 *
 * @param name       preset name the config came from (kept for checkpoints and logs)
 * @param imageSize  side of the (latent) image the model sees, in pixels
 * @param inChannels channels of that image (3 for RGB pixels, 4 for SD-VAE latents)
 * @param patchSize  side of a square patch; must divide imageSize
 * @param hidden     transformer width D
 * @param depth      number of DiT blocks
 * @param heads      attention heads; must divide hidden
 * @param mlpRatio   MLP hidden width as a multiple of D (the paper: 4)
 * @param textDim    width of the text encoder's tokens
 * @param textTokens number of text tokens the text encoder emits
 * @param learnedPositions     true: a learned (1, T, D) position table ({@code pos_embed}, as the released
 *                             Paris experts); false: the fixed 2-D sine-cosine table (the project's default)
 * @param linearTextProjection true: the caption projection is one Linear(Dt -> D) ({@code text_proj} of the
 *                             released Paris experts); false: PixArt's two-layer MLP (the project's default)
 * @param exactGelu  true: the MLPs use the exact (erf) GELU, one fused libtorch op forward and one backward
 *                   (PyTorch's {@code approximate="none"}); false: the tanh approximation of the DiT reference
 *                   and the released Paris experts ({@code approximate="tanh"}), which DJL can only compose from
 *                   elementwise ops. The two differ by less than 5e-4 per activation. Checkpoints written
 *                   before this field existed read as false, the model they were trained with.
 */
public record DiTConfig(String name, int imageSize, int inChannels, int patchSize, int hidden, int depth,
                        int heads, int mlpRatio, int textDim, int textTokens, boolean learnedPositions,
                        boolean linearTextProjection, boolean exactGelu) {

    /** A config in the project's own layout (fixed positions, MLP caption projection), tanh-GELU. */
    public DiTConfig(String name, int imageSize, int inChannels, int patchSize, int hidden, int depth,
                     int heads, int mlpRatio, int textDim, int textTokens) {
        this(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, textDim, textTokens, false, false,
                false);
    }

    /** A config with tanh-GELU, as the DiT reference and the released Paris experts. */
    public DiTConfig(String name, int imageSize, int inChannels, int patchSize, int hidden, int depth,
                     int heads, int mlpRatio, int textDim, int textTokens, boolean learnedPositions,
                     boolean linearTextProjection) {
        this(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, textDim, textTokens,
                learnedPositions, linearTextProjection, false);
    }

    /** Width of the sinusoidal timestep features fed to the timestep MLP (DiT reference: 256). */
    public static final int FREQUENCY_DIM = 256;

    private static final Map<String, DiTConfig> PRESETS = new LinkedHashMap<>();

    static {
        // the CPU presets train with the exact GELU: about 15% faster per training CPU-second here (README)
        register(new DiTConfig("smoke", 16, 3, 2, 32, 2, 2, 4, 32, 8).withExactGelu(true));
        register(new DiTConfig("demo", 16, 3, 2, 128, 4, 4, 4, 64, 16).withExactGelu(true));
        register(new DiTConfig("DiT-B/2", 32, 4, 2, 768, 12, 12, 4, 768, 77));
        register(new DiTConfig("DiT-XL/2", 32, 4, 2, 1152, 28, 16, 4, 768, 77));
    }

    public DiTConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("DiT config needs a name");
        }
        positive("imageSize", imageSize);
        positive("inChannels", inChannels);
        positive("patchSize", patchSize);
        positive("hidden", hidden);
        positive("depth", depth);
        positive("heads", heads);
        positive("mlpRatio", mlpRatio);
        positive("textDim", textDim);
        positive("textTokens", textTokens);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("DiT config '" + name + "': patchSize " + patchSize
                    + " does not divide imageSize " + imageSize);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("DiT config '" + name + "': heads " + heads
                    + " do not divide hidden " + hidden);
        }
        if (hidden % 4 != 0) {
            throw new IllegalArgumentException("DiT config '" + name + "': hidden " + hidden
                    + " must be a multiple of 4 for the 2-D sine-cosine positions");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Invalid DiT " + field + ": " + value);
        }
    }

    private static void register(DiTConfig c) {
        PRESETS.put(c.name(), c);
    }

    /** The named preset; the error lists the known names. */
    public static DiTConfig of(String preset) {
        DiTConfig c = PRESETS.get(preset);
        if (c == null) {
            throw new IllegalArgumentException("Unknown DiT preset '" + preset + "'; known: " + presets());
        }
        return c;
    }

    public static List<String> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    /** The same model adapted to a dataset's image side and channel count. */
    public DiTConfig withImage(int size, int channels) {
        return new DiTConfig(name, size, channels, patchSize, hidden, depth, heads, mlpRatio, textDim, textTokens,
                learnedPositions, linearTextProjection, exactGelu);
    }

    /**
     * The same size in the layout of the released Paris experts (bageldotcom/paris): a learned position
     * table, a single linear text projection and tanh-GELU. Everything else (AdaLN-Single, non-affine LayerNorms,
     * ungated cross-attention after self-attention, PixArt's final layer) is already shared.
     */
    public DiTConfig withReleasedLayout() {
        return new DiTConfig(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, textDim,
                textTokens, true, true, false);
    }

    /** The same model with the exact (erf) GELU ({@code true}) or the tanh approximation ({@code false}). */
    public DiTConfig withExactGelu(boolean exact) {
        return new DiTConfig(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, textDim,
                textTokens, learnedPositions, linearTextProjection, exact);
    }

    /** The same model adapted to a text encoder's token width and count. */
    public DiTConfig withText(int dim, int tokens) {
        return new DiTConfig(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, dim, tokens,
                learnedPositions, linearTextProjection, exactGelu);
    }

    /** Patches per side. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Image tokens T. */
    public int tokens() {
        return gridSize() * gridSize();
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Values per token after the final layer: patch^2 * channels. */
    public int patchValues() {
        return patchSize * patchSize * inChannels;
    }

    /**
     * Trainable parameters, counted from the architecture without allocating anything. A test checks
     * it against DJL's count for small presets. The fixed positional table is not a parameter; a learned
     * one is (T x D).
     */
    public long parameterCount() {
        long d = hidden;
        long patch = linear(patchSize * patchSize * (long) inChannels, d);
        long timestep = linear(FREQUENCY_DIM, d) + linear(d, d);
        long adaLnSingle = linear(d, 6 * d);
        long caption = linearTextProjection ? linear(textDim, d) : linear(textDim, d) + linear(d, d);
        long positions = learnedPositions ? (long) tokens() * d : 0;
        long selfAttn = linear(d, 3 * d) + linear(d, d);
        long crossAttn = linear(d, d) + linear(d, 2 * d) + linear(d, d);
        long mlp = linear(d, mlpRatio * d) + linear(mlpRatio * d, d);
        long block = selfAttn + crossAttn + mlp + 6 * d;
        long fin = 2 * d + linear(d, patchValues());
        return patch + positions + timestep + adaLnSingle + caption + depth * block + fin;
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }
}
