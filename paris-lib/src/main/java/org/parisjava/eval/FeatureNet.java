package org.parisjava.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation CNN: three 3x3 convolutions (two followed by 2x2 max-pooling), global average
 * pooling, a ReLU feature layer (the Frechet space), and one linear head per attribute.
 *
 * <p>Input NDList(x (B, C, H, W) in [-1, 1]); output NDList(features (B, F), logits_1 (B, n_1), ...).
 */
public final class FeatureNet extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ClassifierConfig config;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Linear feature;
    private final List<Linear> heads = new ArrayList<>();

    public FeatureNet(ClassifierConfig config) {
        super(VERSION);
        this.config = config;
        int w = config.width();
        conv1 = addChildBlock("conv1", conv(w));
        conv2 = addChildBlock("conv2", conv(2 * w));
        conv3 = addChildBlock("conv3", conv(2 * w));
        feature = addChildBlock("feature", Linear.builder().setUnits(config.featureDim()).build());
        for (var e : config.heads().entrySet()) {
            heads.add(addChildBlock("head." + e.getKey(), Linear.builder().setUnits(e.getValue().size()).build()));
        }
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    public ClassifierConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, C, H, W)
        Shape pool = new Shape(2, 2);
        NDArray h = Activation.relu(conv1.forward(ps, new NDList(x), training).singletonOrThrow()); // (B, w, H, W)
        h = Pool.maxPool2d(h, pool, pool, new Shape(0, 0), false); // (B, w, H/2, W/2)
        h = Activation.relu(conv2.forward(ps, new NDList(h), training).singletonOrThrow()); // (B, 2w, H/2, W/2)
        h = Pool.maxPool2d(h, pool, pool, new Shape(0, 0), false); // (B, 2w, H/4, W/4)
        h = Activation.relu(conv3.forward(ps, new NDList(h), training).singletonOrThrow()); // (B, 2w, H/4, W/4)
        h = h.reshape(h.getShape().get(0), h.getShape().get(1), -1).mean(new int[] {2}); // (B, 2w)
        NDArray f = Activation.relu(feature.forward(ps, new NDList(h), training).singletonOrThrow()); // (B, F)
        NDList out = new NDList(f);
        for (Linear head : heads) {
            out.add(head.forward(ps, new NDList(f), training).singletonOrThrow()); // (B, n_i)
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        List<Shape> out = new ArrayList<>();
        out.add(new Shape(b, config.featureDim()));
        config.heads().values().forEach(v -> out.add(new Shape(b, v.size())));
        return out.toArray(new Shape[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long b = in.get(0);
        int w = config.width();
        long s = in.get(2);
        conv1.initialize(manager, dataType, in);
        conv2.initialize(manager, dataType, new Shape(b, w, s / 2, s / 2));
        conv3.initialize(manager, dataType, new Shape(b, 2L * w, s / 4, s / 4));
        feature.initialize(manager, dataType, new Shape(b, 2L * w));
        for (Linear head : heads) {
            head.initialize(manager, dataType, new Shape(b, config.featureDim()));
        }
    }
}
