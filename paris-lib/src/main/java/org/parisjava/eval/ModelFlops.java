package org.parisjava.eval;

import org.parisjava.model.DiTConfig;
import org.parisjava.model.RouterConfig;

/**
 * Analytic cost of one forward pass of one image through a DiT expert or the router, counting the
 * matrix multiplications (linear layers and attention products), which dominate; norms,
 * activations and softmax are left out. Counted in multiply-accumulates (MACs) as the DiT paper's
 * "Gflops" are (DiT-XL/2 at 256x256: 118.6), and reported as FLOPs = 2 MACs.
 *
 * <p>Letters: T image tokens, D hidden, L text tokens, Dt text width, P patch, C channels.
 *
 * @param name        what was counted, for tables
 * @param forwardMacs multiply-accumulates of one forward pass of one image
 */
public record ModelFlops(String name, double forwardMacs) {
    public ModelFlops {
        if (!(forwardMacs >= 0)) {
            throw new IllegalArgumentException("Invalid MAC count for " + name + ": " + forwardMacs);
        }
    }

    public double forwardGflops() {
        return 2 * forwardMacs / 1e9;
    }

    public double forwardGmacs() {
        return forwardMacs / 1e9;
    }

    /**
     * A DiT expert: patch embedding, timestep MLP, {@code depth} blocks of self-attention,
     * text cross-attention (when {@code textTokens > 0}) and an MLP, a final linear layer.
     * AdaLN-Single (PixArt-alpha, as Paris) computes the modulation once per image: 6D outputs.
     */
    public static ModelFlops dit(String name, int channels, int imageSize, int patch, int hidden, int depth,
                                 double mlpRatio, int textTokens, int textDim, boolean adaLnSingle) {
        check(channels, imageSize, patch, hidden, depth);
        double t = tokens(imageSize, patch);
        double d = hidden;
        double pixelsPerToken = (double) patch * patch * channels;
        double macs = t * pixelsPerToken * d; // patch embedding
        macs += timestepMlp(d);
        double block = selfAttention(t, d) + mlp(t, d, mlpRatio);
        if (textTokens > 0) {
            macs += textTokens * (double) textDim * d; // text projection to D, once
            block += t * d * d * 2 // queries and output projection
                    + textTokens * d * 2 * d // keys and values of the text
                    + 2 * t * textTokens * d; // scores and weighted sum
        }
        macs += adaLnSingle ? d * 6 * d : depth * d * 6 * d;
        macs += depth * block;
        macs += d * 2 * d + t * d * pixelsPerToken; // final modulation and linear
        return new ModelFlops(name, macs);
    }

    /**
     * The router: patch embedding, a learned CLS token (T + 1 tokens), {@code depth} blocks of
     * self-attention and MLP with AdaLN-Zero per block (6D modulation each), and the head
     * Linear(D, D)-GELU-LayerNorm-GELU-Linear(D, K) on the CLS token.
     */
    public static ModelFlops router(String name, int channels, int imageSize, int patch, int hidden, int depth,
                                    double mlpRatio, int clusters) {
        check(channels, imageSize, patch, hidden, depth);
        double t = tokens(imageSize, patch) + 1;
        double d = hidden;
        double macs = tokens(imageSize, patch) * (double) patch * patch * channels * d;
        macs += timestepMlp(d);
        macs += depth * (selfAttention(t, d) + mlp(t, d, mlpRatio) + d * 6 * d);
        macs += d * d + d * clusters; // head
        return new ModelFlops(name, macs);
    }

    /** A DiT expert of the project (AdaLN-Single, text cross-attention). */
    public static ModelFlops of(DiTConfig c) {
        return dit(c.name(), c.inChannels(), c.imageSize(), c.patchSize(), c.hidden(), c.depth(), c.mlpRatio(),
                c.textTokens(), c.textDim(), true);
    }

    /** The project's router. */
    public static ModelFlops of(RouterConfig c) {
        return router("router " + c.name(), c.inChannels(), c.imageSize(), c.patchSize(), c.hidden(), c.depth(),
                c.mlpRatio(), c.clusters());
    }

    private static double tokens(int imageSize, int patch) {
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("Image size " + imageSize + " is not a multiple of patch " + patch);
        }
        double side = imageSize / patch;
        return side * side;
    }

    private static double timestepMlp(double d) {
        return 256 * d + d * d; // sinusoidal 256-d frequency embedding -> D -> D
    }

    private static double selfAttention(double t, double d) {
        return t * d * 3 * d // qkv
                + 2 * t * t * d // scores and weighted sum
                + t * d * d; // output projection
    }

    private static double mlp(double t, double d, double ratio) {
        return 2 * t * d * (ratio * d);
    }

    private static void check(int channels, int imageSize, int patch, int hidden, int depth) {
        if (channels < 1 || imageSize < 1 || patch < 1 || hidden < 1 || depth < 1) {
            throw new IllegalArgumentException("Invalid model shape: channels " + channels + ", image " + imageSize
                    + ", patch " + patch + ", hidden " + hidden + ", depth " + depth);
        }
    }
}
