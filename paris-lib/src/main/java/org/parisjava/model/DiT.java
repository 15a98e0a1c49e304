package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The Paris expert: a text-conditioned DiT with AdaLN-Single (PixArt-alpha) predicting the
 * flow-matching velocity v = eps - x0 (docs/design.md, section 2).
 *
 * <pre>
 *   tokens = PatchEmbed(x) + positions (fixed 2-D sin-cos, or a learned table: config.learnedPositions)
 *   temb   = TimestepEmbedder(1000 t);  t0 = Linear(SiLU(temb)) -> (B, 6, D), shared by every block
 *   text   = Mlp(text tokens)  (caption projection Dt -> D; one Linear with config.linearTextProjection)
 *   depth x DiTBlock(tokens, text, t0, key mask)
 *   v      = unpatchify(FinalLayer(tokens, temb))
 * </pre>
 *
 * <p>Shapes: B batch, C channels, H = W image side, T image tokens, D hidden, L text tokens,
 * Dt text width. Input NDList(x (B, C, H, W), t (B) float in [0, 1], text (B, L, Dt),
 * textMask (B, L) float 1 keep / 0 pad). Output NDList(v (B, C, H, W)).
 *
 * <p>Initialization follows PixArt: Xavier-uniform linears, N(0, 0.02) embedding MLPs, tables
 * randn / sqrt(D), and zeros for every cross-attention output projection and for the final
 * linear, so the untrained model outputs exactly 0. Do not override the weight initializer
 * afterwards (e.g. through a training config), or the zero-init is lost.
 */
public final class DiT extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DiTConfig config;
    private final PatchEmbed patchEmbed;
    private final TimestepEmbedder timestepEmbedder;
    private final Linear timestepBlock;
    private final Block captionProjection;
    private final List<DiTBlock> blocks = new ArrayList<>();
    private final FinalLayer finalLayer;

    private DiT(DiTConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.hidden();
        this.patchEmbed = addChildBlock("x_embedder",
                new PatchEmbed(config.imageSize(), config.inChannels(), config.patchSize(), d,
                        config.learnedPositions()));
        this.timestepEmbedder = addChildBlock("t_embedder", new TimestepEmbedder(d));
        this.timestepBlock = addChildBlock("t_block", Layers.linear(6L * d));
        Layers.normalWeights(timestepBlock, 0.02f);
        this.captionProjection = addChildBlock("y_embedder",
                config.linearTextProjection() ? Layers.linear(d) : new Mlp(d, d, config.exactGelu()));
        Layers.normalWeights(captionProjection, 0.02f);
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("blocks." + i, new DiTBlock(d, config.heads(), config.mlpRatio(), config.exactGelu())));
        }
        this.finalLayer = addChildBlock("final_layer", new FinalLayer(d, config.patchValues()));
    }

    /** A new, uninitialized expert; call {@link #initialize(NDManager, DataType, Shape...)} with {@link #inputShapes}. */
    public static DiT create(DiTConfig config) {
        return new DiT(config);
    }

    public DiTConfig config() {
        return config;
    }

    /** The input shapes for {@code initialize} at a given batch size. */
    public Shape[] inputShapes(int batch) {
        return new Shape[] {
            new Shape(batch, config.inChannels(), config.imageSize(), config.imageSize()),
            new Shape(batch),
            new Shape(batch, config.textTokens(), config.textDim()),
            new Shape(batch, config.textTokens())
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (inputs.size() != 4) {
            throw new IllegalArgumentException("DiT expects NDList(x, t, text, textMask), got " + inputs.size()
                    + " arrays");
        }
        NDArray x = inputs.get(0); // (B, C, H, W)
        NDArray t = inputs.get(1); // (B)
        NDArray text = inputs.get(2); // (B, L, Dt)
        NDArray mask = inputs.get(3); // (B, L)
        checkShapes(x, t, text, mask);
        long b = x.getShape().get(0);
        int d = config.hidden();

        // temporaries are closed as soon as they are dead (see Layers)
        NDArray h = patchEmbed.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, D)
        NDArray temb = Layers.forwardClosing(timestepEmbedder, ps, t.mul(1000f), training); // (B, D)
        NDArray t0;
        try (NDArray t0flat = Layers.forwardClosing(timestepBlock, ps, Layers.silu(temb), training)) {
            t0 = t0flat.reshape(b, 6, d); // (B, 6, D)
        }
        NDArray y = captionProjection instanceof Linear lin ? Layers.dense(lin, ps, text, training) // (B, L, D)
                : captionProjection.forward(ps, new NDList(text), training).singletonOrThrow(); // (B, L, D)
        NDArray keyBias = MultiHeadAttention.keyMaskBias(mask); // (B, 1, 1, L)
        for (DiTBlock block : blocks) {
            NDArray next = block.forward(ps, new NDList(h, y, t0, keyBias), training).singletonOrThrow(); // (B, T, D)
            h.close();
            h = next;
        }
        y.close();
        t0.close();
        keyBias.close();
        NDArray out = finalLayer.forward(ps, new NDList(h, temb), training).singletonOrThrow(); // (B, T, p^2 C)
        h.close();
        temb.close();
        try (out) {
            return new NDList(PatchEmbed.unpatchify(out, config.patchSize(), config.inChannels())); // (B, C, H, W)
        }
    }

    private void checkShapes(NDArray x, NDArray t, NDArray text, NDArray mask) {
        Shape xs = x.getShape();
        long b = xs.get(0);
        if (xs.dimension() != 4 || xs.get(1) != config.inChannels() || xs.get(2) != config.imageSize()
                || xs.get(3) != config.imageSize()) {
            throw new IllegalArgumentException("DiT '" + config.name() + "' expects x of shape (B, "
                    + config.inChannels() + ", " + config.imageSize() + ", " + config.imageSize() + "), got " + xs);
        }
        if (!t.getShape().equals(new Shape(b))) {
            throw new IllegalArgumentException("DiT expects t of shape (" + b + "), got " + t.getShape());
        }
        Shape ts = text.getShape();
        if (ts.dimension() != 3 || ts.get(0) != b || ts.get(2) != config.textDim()) {
            throw new IllegalArgumentException("DiT '" + config.name() + "' expects text of shape (" + b + ", L, "
                    + config.textDim() + "), got " + ts);
        }
        if (!mask.getShape().equals(new Shape(b, ts.get(1)))) {
            throw new IllegalArgumentException("DiT expects textMask of shape (" + b + ", " + ts.get(1) + "), got "
                    + mask.getShape());
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        long l = inputShapes[2].get(1);
        int d = config.hidden();
        Shape tokens = new Shape(b, config.tokens(), d);
        Shape text = new Shape(b, l, d);
        patchEmbed.initialize(manager, dataType, inputShapes[0]);
        timestepEmbedder.initialize(manager, dataType, new Shape(b));
        timestepBlock.initialize(manager, dataType, new Shape(b, d));
        captionProjection.initialize(manager, dataType, config.linearTextProjection()
                ? new Shape(b * l, config.textDim()) : inputShapes[2]);
        for (DiTBlock block : blocks) {
            block.initialize(manager, dataType, tokens, text, new Shape(b, 6, d), new Shape(b, 1, 1, l));
        }
        finalLayer.initialize(manager, dataType, tokens, new Shape(b, d));
    }
}
