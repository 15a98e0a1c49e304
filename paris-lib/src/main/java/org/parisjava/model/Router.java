package org.parisjava.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The Paris router: predicts p(k | x_t, t), which cluster a noisy sample came from. A DiT-style
 * transformer over the patches of x_t plus a learned CLS token, conditioned on the timestep only
 * (no text) through AdaLN-Zero, with the head Linear-GELU-LayerNorm-GELU-Linear(D -> K) on the CLS
 * token (arXiv 2510.03434; docs/design.md, section 1).
 *
 * <pre>
 *   tokens = [CLS ; PatchEmbed(x_t) + positions]                         (B, 1 + T, D)
 *            (fixed 2-D sin-cos, or a learned table with config.learnedPositions)
 *   c      = TimestepEmbedder(1000 t)                                    (B, D)
 *   depth x RouterBlock(tokens, c)
 *   logits = Head(LN(tokens[:, 0]))                                      (B, K)
 * </pre>
 *
 * <p>Shapes: B batch, C channels, H = W image side, T patches, D hidden, K experts. Input
 * NDList(x_t (B, C, H, W), t (B) in [0, 1]); output NDList(logits (B, K)).
 *
 * <p>Text-aware option (beyond the paper; {@link RouterConfig#textAware()}): the router also reads
 * the caption's token vectors and adds their embedding to the AdaLN conditioning,
 * {@code e = mean_l Linear(SiLU(Linear(tokens_l)))} over the real tokens (mask 1), added to the
 * conditioning {@code c = TimestepEmbedder(1000 t) + e} and to the CLS token (whose residual stream
 * reaches the head while the zero-initialized AdaLN gates are still closed), so that near t = 1, where x_t is almost pure noise, it can still tell which cluster the
 * prompt asks for. The per-token MLP comes before the mean so that which word sits at which position
 * survives the pooling (a plain mean of word + position vectors would lose it). Input then
 * NDList(x_t, t, tokens (B, L, Dt), mask (B, L)).
 */
public final class Router extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RouterConfig config;
    private final PatchEmbed patchEmbed;
    private final Parameter cls;
    private final TimestepEmbedder timestepEmbedder;
    private final Linear textIn;
    private final Linear textOut;
    private final List<RouterBlock> blocks = new ArrayList<>();
    private final Linear headIn;
    private final LayerNorm headNorm;
    private final Linear headOut;

    private Router(RouterConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.hidden();
        this.patchEmbed = addChildBlock("x_embedder",
                new PatchEmbed(config.imageSize(), config.inChannels(), config.patchSize(), d,
                        config.learnedPositions()));
        this.cls = addParameter(Parameter.builder().setName("cls_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, d)).optInitializer(new NormalInitializer(0.02f)).build());
        this.timestepEmbedder = addChildBlock("t_embedder", new TimestepEmbedder(d));
        if (config.textAware()) {
            this.textIn = addChildBlock("y_embedder.fc1", Layers.linear(d));
            this.textOut = addChildBlock("y_embedder.fc2", Layers.linear(d));
            Layers.normalWeights(textIn, 0.02f);
            Layers.normalWeights(textOut, 0.02f);
        } else {
            this.textIn = null;
            this.textOut = null;
        }
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("blocks." + i, new RouterBlock(d, config.heads(), config.mlpRatio())));
        }
        this.headIn = addChildBlock("head.fc1", Layers.linear(d));
        this.headNorm = addChildBlock("head.norm", LayerNorm.builder().axis(1).build());
        this.headOut = addChildBlock("head.fc2", Layers.linear(config.clusters()));
    }

    /** A new, uninitialized router; initialize it with {@link #inputShapes(int)}. */
    public static Router create(RouterConfig config) {
        return new Router(config);
    }

    public RouterConfig config() {
        return config;
    }

    public Shape[] inputShapes(int batch) {
        Shape x = new Shape(batch, config.inChannels(), config.imageSize(), config.imageSize());
        return config.textAware()
                ? new Shape[] {x, new Shape(batch), new Shape(batch, 1, config.textDim()), new Shape(batch, 1)}
                : new Shape[] {x, new Shape(batch)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        int want = config.textAware() ? 4 : 2;
        if (inputs.size() != want) {
            throw new IllegalArgumentException("Router '" + config.name() + "' expects NDList(x_t, t"
                    + (config.textAware() ? ", caption tokens, mask" : "") + "), got " + inputs.size() + " arrays");
        }
        NDArray x = inputs.get(0); // (B, C, H, W)
        NDArray t = inputs.get(1); // (B)
        Shape xs = x.getShape();
        if (xs.dimension() != 4 || xs.get(1) != config.inChannels() || xs.get(2) != config.imageSize()
                || xs.get(3) != config.imageSize()) {
            throw new IllegalArgumentException("Router '" + config.name() + "' expects x of shape (B, "
                    + config.inChannels() + ", " + config.imageSize() + ", " + config.imageSize() + "), got " + xs);
        }
        long b = xs.get(0);
        if (!t.getShape().equals(new Shape(b))) {
            throw new IllegalArgumentException("Router expects t of shape (" + b + "), got " + t.getShape());
        }
        int d = config.hidden();
        NDArray patches = patchEmbed.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, D)
        NDArray token = ps.getValue(cls, x.getDevice(), training).broadcast(new Shape(b, 1, d)); // (B, 1, D)
        // DJL attaches a result to its first operand's manager: without this, the token, and every
        // activation computed from it, would live as long as the model's parameters (a leak per step)
        token.attach(x.getManager());
        NDArray c = timestepEmbedder.forward(ps, new NDList(t.mul(1000f)), training).singletonOrThrow(); // (B, D)
        if (config.textAware()) {
            NDArray tokens = inputs.get(2); // (B, L, Dt)
            NDArray mask = inputs.get(3); // (B, L)
            Shape ts = tokens.getShape();
            if (ts.dimension() != 3 || ts.get(0) != b || ts.get(2) != config.textDim()
                    || !mask.getShape().equals(new Shape(b, ts.get(1)))) {
                throw new IllegalArgumentException("Text-aware router expects caption tokens (" + b + ", L, "
                        + config.textDim() + ") and mask (" + b + ", L), got " + ts + " and " + mask.getShape());
            }
            NDArray y = Layers.silu(textIn.forward(ps, new NDList(tokens), training).singletonOrThrow()); // (B, L, D)
            y = textOut.forward(ps, new NDList(y), training).singletonOrThrow(); // (B, L, D)
            NDArray m = mask.expandDims(2); // (B, L, 1)
            NDArray pooled = y.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f)); // (B, D)
            c = c.add(pooled); // (B, D)
            // and onto the CLS token, whose residual stream reaches the head even while the zero-initialized
            // AdaLN gates are still closed
            token = token.add(pooled.expandDims(1)); // (B, 1, D)
        }
        NDArray h = token.concat(patches, 1); // (B, 1 + T, D)
        for (RouterBlock block : blocks) {
            h = block.forward(ps, new NDList(h, c), training).singletonOrThrow(); // (B, 1 + T, D)
        }
        NDArray z = Layers.layerNorm(h.get(":, 0, :")); // (B, D)
        z = Activation.gelu(headIn.forward(ps, new NDList(z), training).singletonOrThrow()); // (B, D)
        z = Activation.gelu(headNorm.forward(ps, new NDList(z), training).singletonOrThrow()); // (B, D)
        return headOut.forward(ps, new NDList(z), training); // (B, K)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.clusters())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int d = config.hidden();
        patchEmbed.initialize(manager, dataType, inputShapes[0]);
        timestepEmbedder.initialize(manager, dataType, new Shape(b));
        if (config.textAware()) {
            textIn.initialize(manager, dataType, new Shape(b, 1, config.textDim()));
            textOut.initialize(manager, dataType, new Shape(b, 1, d));
        }
        Shape tokens = new Shape(b, config.tokens() + 1L, d);
        for (RouterBlock block : blocks) {
            block.initialize(manager, dataType, tokens, new Shape(b, d));
        }
        headIn.initialize(manager, dataType, new Shape(b, d));
        headNorm.initialize(manager, dataType, new Shape(b, d));
        headOut.initialize(manager, dataType, new Shape(b, d));
    }
}
