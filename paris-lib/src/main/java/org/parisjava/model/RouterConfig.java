package org.parisjava.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Size of the router, as one validated record with named presets: {@code smoke} and {@code demo}
 * for CPU runs and {@code DiT-B/2} (12 layers, hidden 768, 12 heads, patch 2 on 32x32x4 latents) as
 * in the Paris paper.
 *
 * @param name       preset name the config came from
 * @param imageSize  side of the (latent) image, in pixels
 * @param inChannels channels of that image
 * @param patchSize  side of a square patch; must divide imageSize
 * @param hidden     transformer width D
 * @param depth      transformer blocks
 * @param heads      attention heads; must divide hidden
 * @param mlpRatio   MLP width as a multiple of D
 * @param clusters   K, the number of experts the router scores
 * @param learnedPositions true: a learned (1, T, D) position table ({@code pos_embed}, as the released
 *                         Paris router); false: the fixed 2-D sine-cosine table (the project's default)
 * @param textDim    width Dt of the caption embedding a text-aware router is conditioned on; 0 for
 *                   the paper's text-blind router (the default; see {@link #withText(int)})
 */
public record RouterConfig(String name, int imageSize, int inChannels, int patchSize, int hidden, int depth,
                           int heads, int mlpRatio, int clusters, boolean learnedPositions, int textDim) {

    private static final Map<String, RouterConfig> PRESETS = new LinkedHashMap<>();

    static {
        register(new RouterConfig("smoke", 16, 3, 4, 32, 2, 2, 4, 4));
        register(new RouterConfig("demo", 16, 3, 2, 64, 4, 4, 4, 8));
        register(new RouterConfig("DiT-B/2", 32, 4, 2, 768, 12, 12, 4, 8));
    }

    public RouterConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Router config needs a name");
        }
        for (var e : Map.of("imageSize", imageSize, "inChannels", inChannels, "patchSize", patchSize,
                "hidden", hidden, "depth", depth, "heads", heads, "mlpRatio", mlpRatio).entrySet()) {
            if (e.getValue() <= 0) {
                throw new IllegalArgumentException("Invalid router " + e.getKey() + ": " + e.getValue());
            }
        }
        if (textDim < 0) {
            throw new IllegalArgumentException("Invalid router textDim: " + textDim + " (0 = text-blind)");
        }
        if (clusters < 1) {
            throw new IllegalArgumentException("Invalid number of clusters: " + clusters);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("Router config '" + name + "': patchSize " + patchSize
                    + " does not divide imageSize " + imageSize);
        }
        if (hidden % heads != 0 || hidden % 4 != 0) {
            throw new IllegalArgumentException("Router config '" + name + "': hidden " + hidden
                    + " must be a multiple of 4 and of heads " + heads);
        }
    }

    /** A text-blind router (the paper's): conditioned on the timestep only. */
    public RouterConfig(String name, int imageSize, int inChannels, int patchSize, int hidden, int depth,
                        int heads, int mlpRatio, int clusters) {
        this(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, clusters, false, 0);
    }

    /**
     * The same router conditioned on a pooled caption embedding of width {@code dim} as well as the
     * timestep (beyond the paper; 0 gives the text-blind router back).
     */
    public RouterConfig withText(int dim) {
        return new RouterConfig(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, clusters,
                learnedPositions, dim);
    }

    /** Whether the router reads the caption (a {@link #textDim()} above 0). */
    public boolean textAware() {
        return textDim > 0;
    }

    private static void register(RouterConfig c) {
        PRESETS.put(c.name(), c);
    }

    /** The named preset; the error lists the known names. */
    public static RouterConfig of(String preset) {
        RouterConfig c = PRESETS.get(preset);
        if (c == null) {
            throw new IllegalArgumentException("Unknown router preset '" + preset + "'; known: " + presets());
        }
        return c;
    }

    public static List<String> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    /** The same router for a dataset's image side and channels and for K experts. */
    public RouterConfig adaptedTo(int size, int channels, int k) {
        return new RouterConfig(name, size, channels, patchSize, hidden, depth, heads, mlpRatio, k, learnedPositions,
                textDim);
    }

    /** The same size in the released Paris router's layout (a learned position table). */
    public RouterConfig withReleasedLayout() {
        return new RouterConfig(name, imageSize, inChannels, patchSize, hidden, depth, heads, mlpRatio, clusters, true,
                textDim);
    }

    /** Image tokens T (the CLS token comes on top). */
    public int tokens() {
        int g = imageSize / patchSize;
        return g * g;
    }

    /** Trainable parameters, counted from the architecture; a test checks it against DJL's count. */
    public long parameterCount() {
        long d = hidden;
        long patch = linear((long) patchSize * patchSize * inChannels, d);
        long cls = d;
        long positions = learnedPositions ? (long) tokens() * d : 0;
        long timestep = linear(DiTConfig.FREQUENCY_DIM, d) + linear(d, d);
        long block = linear(d, 3 * d) + linear(d, d) // attention
                + linear(d, mlpRatio * d) + linear(mlpRatio * d, d) // MLP
                + linear(d, 6 * d); // AdaLN-Zero modulation
        long head = linear(d, d) + 2 * d + linear(d, clusters);
        long text = textDim > 0 ? linear(textDim, d) + linear(d, d) : 0;
        return patch + positions + cls + timestep + text + depth * block + head;
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }
}
