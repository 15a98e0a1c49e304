package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static Router initialized(NDManager m, RouterConfig c) {
        Engine.getInstance().setRandomSeed(3);
        Router r = Router.create(c);
        r.initialize(m, DataType.FLOAT32, r.inputShapes(1));
        return r;
    }

    @Test
    void mapsNoisyImagesAndTimestepsToLogitsOverTheExperts() {
        RouterConfig c = RouterConfig.of("smoke").adaptedTo(16, 3, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Router r = initialized(m, c);
            NDArray x = m.randomNormal(new Shape(3, 3, 16, 16));
            NDArray t = m.create(new float[] {0.1f, 0.5f, 0.9f});
            NDArray logits = r.forward(new ParameterStore(m, false), new NDList(x, t), false).singletonOrThrow();
            assertEquals(new Shape(3, 5), logits.getShape());
            assertFalse(logits.isNaN().any().getBoolean());
            assertThrows(IllegalArgumentException.class,
                    () -> r.forward(new ParameterStore(m, false), new NDList(x.get(":, 0:1"), t), false));
        }
    }

    @Test
    void adaLnZeroMakesTheUntrainedRouterIgnoreTheTimestep() {
        // Every block's modulation starts at zero, so each block is the identity and t has no effect yet.
        try (NDManager m = NDManager.newBaseManager()) {
            Router r = initialized(m, RouterConfig.of("smoke"));
            NDArray x = m.randomNormal(new Shape(2, 3, 16, 16));
            ParameterStore ps = new ParameterStore(m, false);
            float[] early = r.forward(ps, new NDList(x, m.full(new Shape(2), 0.05f)), false).singletonOrThrow()
                    .toFloatArray();
            float[] late = r.forward(ps, new NDList(x, m.full(new Shape(2), 0.95f)), false).singletonOrThrow()
                    .toFloatArray();
            assertArrayEquals(early, late, 1e-6f);
        }
    }

    @Test
    void parameterCountMatchesDjlAndTheDitB2PresetIsAbout129M() {
        for (RouterConfig c : new RouterConfig[] {RouterConfig.of("smoke"), RouterConfig.of("demo"),
                RouterConfig.of("demo").adaptedTo(28, 1, 3)}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Router r = initialized(m, c);
                long real = 0;
                for (Parameter p : org.parisjava.train.ParameterNames.of(r).values()) {
                    real += p.getArray().size();
                }
                assertEquals(c.parameterCount(), real, c.toString());
            }
        }
        long b2 = RouterConfig.of("DiT-B/2").parameterCount();
        // 12 blocks of 18 D^2 (attention 4, MLP 8, AdaLN-Zero 6) at D = 768 give 127.6M, plus embeddings and head.
        assertTrue(b2 > 128_000_000L && b2 < 130_000_000L, "DiT-B/2 router parameters: " + b2);
    }
}
