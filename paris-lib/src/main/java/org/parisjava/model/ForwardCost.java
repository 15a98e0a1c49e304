package org.parisjava.model;

/**
 * Analytic cost of one forward pass of one image through a DiT expert or the router, counting the
 * matrix products (linear layers and attention's two products), which are all but a few percent
 * of the work; norms, activations, softmax and additions are left out.
 *
 * <p>Counted in multiply-accumulates (MACs), the unit of the DiT paper's "Gflops" column (Peebles
 * and Xie, arXiv 2212.09748, table 4: DiT-XL/2 at 256x256, 118.6), and reported also as FLOPs =
 * 2 MACs, the unit of this project's tables. A training step costs about 3x a forward pass (the
 * backward pass is about twice the forward).
 *
 * <p>Letters: T image tokens, D hidden, L text tokens, Dt text width, P = p^2 C values per patch.
 *
 * @param name what was counted, for tables
 * @param macs multiply-accumulates of one forward pass of one image
 */
public record ForwardCost(String name, double macs) {
    /** Nothing run: a strategy without a router. */
    public static final ForwardCost NONE = new ForwardCost("none", 0);

    public ForwardCost {
        if (!(macs >= 0)) {
            throw new IllegalArgumentException("Invalid MAC count for " + name + ": " + macs);
        }
    }

    /** Floating-point operations: 2 per multiply-accumulate. */
    public double flops() {
        return 2 * macs;
    }

    /** FLOPs in units of 10^9. */
    public double gflops() {
        return flops() / 1e9;
    }

    /** MACs in units of 10^9 (the DiT paper's "Gflops"). */
    public double gmacs() {
        return macs / 1e9;
    }

    /**
     * The project's text-conditioned DiT expert ({@link DiT}): patch embedding, timestep MLP,
     * AdaLN-Single (PixArt-alpha, arXiv 2310.00426, as Paris: one 6D modulation per image), the
     * caption MLP (Dt -> D -> D), {@code depth} blocks of self-attention, cross-attention to the
     * caption and an MLP, and PixArt's final layer (a learned shift and scale table, then a linear).
     */
    public static ForwardCost of(DiTConfig c) {
        double t = c.tokens();
        double d = c.hidden();
        double l = c.textTokens();
        double p = c.patchValues();
        double macs = t * p * d // patch embedding
                + timestepMlp(d) + d * 6 * d // timestep MLP, AdaLN-Single
                + l * (c.textDim() * d + (c.linearTextProjection() ? 0 : d * d)); // caption MLP or linear
        double block = selfAttention(t, d) + crossAttention(t, l, d) + mlp(t, d, c.mlpRatio());
        macs += c.depth() * block + t * d * p; // blocks, final linear
        return new ForwardCost("expert " + c.name(), macs);
    }

    /**
     * The project's router ({@link Router}): patch embedding, a learned CLS token (T + 1 tokens),
     * {@code depth} blocks of self-attention and MLP with AdaLN-Zero per block (6D modulation each),
     * and the head Linear(D, D)-GELU-LayerNorm-GELU-Linear(D, K) on the CLS token.
     */
    public static ForwardCost of(RouterConfig c) {
        double t = c.tokens() + 1;
        double d = c.hidden();
        double macs = c.tokens() * (double) c.patchSize() * c.patchSize() * c.inChannels() * d // patch embedding
                + timestepMlp(d);
        macs += c.depth() * (selfAttention(t, d) + mlp(t, d, c.mlpRatio()) + d * 6 * d);
        macs += d * d + d * c.clusters(); // head
        return new ForwardCost("router " + c.name(), macs);
    }

    /**
     * The DiT paper's class-conditional model (arXiv 2212.09748), for comparison with its table:
     * AdaLN-Zero in every block (6D modulation) and in the final layer (2D), no text.
     *
     * @param imageSize side of the latent, {@code patch} its patch side, {@code channels} its channels
     */
    public static ForwardCost classConditionalDiT(String name, int channels, int imageSize, int patch, int hidden,
                                                  int depth, int mlpRatio) {
        if (channels < 1 || imageSize < 1 || patch < 1 || hidden < 1 || depth < 1 || imageSize % patch != 0) {
            throw new IllegalArgumentException("Invalid model shape: channels " + channels + ", image " + imageSize
                    + ", patch " + patch + ", hidden " + hidden + ", depth " + depth);
        }
        double side = imageSize / patch;
        double t = side * side;
        double d = hidden;
        double p = (double) patch * patch * channels;
        double macs = t * p * d + timestepMlp(d);
        macs += depth * (selfAttention(t, d) + mlp(t, d, mlpRatio) + d * 6 * d);
        macs += d * 2 * d + t * d * p; // final modulation and linear
        return new ForwardCost(name, macs);
    }

    /** Sinusoidal frequency features -> D -> D. */
    private static double timestepMlp(double d) {
        return DiTConfig.FREQUENCY_DIM * d + d * d;
    }

    /** qkv, scores QK^T, weighted sum AV, output projection. */
    private static double selfAttention(double t, double d) {
        return t * d * 3 * d + 2 * t * t * d + t * d * d;
    }

    /** Queries and output projection on the image tokens, keys and values of the text, the two products. */
    private static double crossAttention(double t, double l, double d) {
        return 2 * t * d * d + l * 2 * d * d + 2 * t * l * d;
    }

    private static double mlp(double t, double d, double ratio) {
        return 2 * t * d * (ratio * d);
    }
}
