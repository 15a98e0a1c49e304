package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiTTest {

    static NDList inputs(NDManager m, DiTConfig c, int b) {
        NDArray x = m.randomNormal(new Shape(b, c.inChannels(), c.imageSize(), c.imageSize())); // (B, C, H, W)
        NDArray t = m.randomUniform(0f, 1f, new Shape(b)); // (B)
        NDArray text = m.randomNormal(new Shape(b, c.textTokens(), c.textDim())); // (B, L, Dt)
        float[] mask = new float[b * c.textTokens()];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j <= i % c.textTokens(); j++) {
                mask[i * c.textTokens() + j] = 1f;
            }
        }
        return new NDList(x, t, text, m.create(mask, new Shape(b, c.textTokens())));
    }

    static DiT initialized(NDManager m, DiTConfig c) {
        DiT dit = DiT.create(c);
        dit.initialize(m, DataType.FLOAT32, dit.inputShapes(2));
        return dit;
    }

    /** Replaces every zero-initialized parameter by small random values, so all paths carry signal. */
    static void perturbZeros(NDManager m, DiT dit) {
        for (Parameter p : org.parisjava.train.ParameterNames.of(dit).values()) {
            NDArray a = p.getArray();
            if (a.abs().sum().getFloat() == 0f) {
                a.addi(m.randomNormal(0f, 0.05f, a.getShape(), DataType.FLOAT32));
            }
        }
    }

    @Test
    void outputHasInputShapeAndIsExactlyZeroAtInit() {
        Engine.getInstance().setRandomSeed(1);
        DiTConfig c = DiTConfig.of("smoke");
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = initialized(m, c);
            NDList in = inputs(m, c, 3);
            NDArray v = dit.forward(new ParameterStore(m, false), in, false).singletonOrThrow();
            assertEquals(new Shape(3, 3, 16, 16), v.getShape());
            assertEquals(0f, v.abs().max().getFloat(), "zero-init final layer must give v = 0");
        }
    }

    @Test
    void parameterCountMatchesDjlForSmallPresets() {
        for (DiTConfig c : new DiTConfig[] {DiTConfig.of("smoke"), DiTConfig.of("demo"),
                DiTConfig.of("demo").withImage(28, 1).withText(48, 5)}) {
            try (NDManager m = NDManager.newBaseManager()) {
                DiT dit = initialized(m, c);
                long real = 0;
                for (Parameter p : org.parisjava.train.ParameterNames.of(dit).values()) {
                    real += p.getArray().size();
                }
                assertEquals(c.parameterCount(), real, c.name() + " " + c);
            }
        }
    }

    @Test
    void parameterPathsAreReadableAndUnique() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = initialized(m, DiTConfig.of("smoke"));
            Map<String, Parameter> paths = org.parisjava.train.ParameterNames.of(dit);
            assertTrue(paths.containsKey("blocks.1.attn.qkv.weight"), paths.keySet().toString());
            assertTrue(paths.containsKey("blocks.0.cross_attn.kv.bias"), paths.keySet().toString());
            assertTrue(paths.containsKey("final_layer.scale_shift_table"), paths.keySet().toString());
            assertEquals(org.parisjava.train.ParameterNames.of(dit).size(), dit.getParameters().size());
        }
    }

    @Test
    void gradientReachesEveryParameterOfANonzeroInitializedCopy() {
        Engine.getInstance().setRandomSeed(2);
        DiTConfig c = DiTConfig.of("smoke");
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = initialized(m, c);
            perturbZeros(m, dit);
            NDList in = inputs(m, c, 3);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = dit.forward(new ParameterStore(m, false), in, true).singletonOrThrow();
                gc.backward(v.square().mean());
            }
            for (Map.Entry<String, Parameter> e : org.parisjava.train.ParameterNames.of(dit).entrySet()) {
                float g = e.getValue().getArray().getGradient().abs().sum().getFloat();
                assertTrue(g > 0f && Float.isFinite(g), "no gradient reached " + e.getKey() + ": " + g);
            }
        }
    }

    @Test
    void maskedTextTokensDoNotChangeTheOutput() {
        Engine.getInstance().setRandomSeed(3);
        DiTConfig c = DiTConfig.of("smoke");
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = initialized(m, c);
            perturbZeros(m, dit);
            NDList in = inputs(m, c, 2);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray v1 = dit.forward(ps, in, false).singletonOrThrow();
            // change only the padded (mask 0) text tokens
            NDArray keep = in.get(3).expandDims(2); // (B, L, 1)
            NDArray text2 = in.get(2).mul(keep).add(m.randomNormal(in.get(2).getShape()).mul(keep.sub(1f).neg()));
            NDArray v2 = dit.forward(ps, new NDList(in.get(0), in.get(1), text2, in.get(3)), false).singletonOrThrow();
            assertTrue(v1.abs().max().getFloat() > 1e-4f, "perturbed model should produce a signal");
            assertEquals(0f, v1.sub(v2).abs().max().getFloat(), 1e-5f);
            // ...while changing a real token does
            NDArray text3 = in.get(2).add(keep.mul(1f));
            NDArray v3 = dit.forward(ps, new NDList(in.get(0), in.get(1), text3, in.get(3)), false).singletonOrThrow();
            assertTrue(v1.sub(v3).abs().max().getFloat() > 1e-5f);
        }
    }
}
