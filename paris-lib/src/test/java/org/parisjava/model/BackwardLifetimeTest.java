package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on what the JVM does between forward and backward.
 *
 * <p>DJL's {@code NDArray.mul(Number)} wraps the number in a zero-copy tensor over a direct
 * ByteBuffer and closes that wrapper right after the op, while autograd keeps the tensor to
 * compute the backward pass; once the garbage collector frees the buffer, the backward pass reads
 * whatever lives there. This test collects garbage and scribbles NaN over freshly allocated
 * direct memory between forward and backward, which turned such gradients into NaN or 1e30s.
 */
class BackwardLifetimeTest {

    private static Map<String, float[]> gradients(DiTConfig c, boolean scribble) {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiTTest.initialized(m, c);
            DiTTest.perturbZeros(m, dit);
            Map<String, Parameter> params = org.parisjava.train.ParameterNames.of(dit);
            NDList in = DiTTest.inputs(m, c, 3);
            NDArray target = m.randomNormal(in.get(0).getShape());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = dit.forward(new ParameterStore(m, false), in, true).singletonOrThrow();
                NDArray loss = v.sub(target).square().mean();
                if (scribble) {
                    scribbleFreedDirectMemory();
                }
                gc.backward(loss);
            }
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            params.forEach((k, p) -> out.put(k, p.getArray().getGradient().toFloatArray()));
            return out;
        }
    }

    private static void scribbleFreedDirectMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(50); // the Cleaner thread frees unreachable direct buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, Float.NaN);
                keep.add(b);
            }
            keep.clear();
        }
    }

    @Test
    void gradientsAreTheSameWhenFreedDirectMemoryIsReused() {
        DiTConfig c = DiTConfig.of("smoke");
        Map<String, float[]> clean = gradients(c, false);
        Map<String, float[]> scribbled = gradients(c, true);
        for (var e : clean.entrySet()) {
            float[] g = scribbled.get(e.getKey());
            for (float x : g) {
                assertTrue(Float.isFinite(x), "non-finite gradient in " + e.getKey());
            }
            assertArrayEquals(e.getValue(), g, 1e-6f, e.getKey());
        }
    }
}
