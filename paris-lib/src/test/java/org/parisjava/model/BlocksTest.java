package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Every block's output shape, against its own getOutputShapes, plus the exact identities of each part. */
class BlocksTest {

    private static NDArray run(NDManager m, Block block, NDArray... in) {
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) {
            shapes[i] = in[i].getShape();
        }
        block.initialize(m, DataType.FLOAT32, shapes);
        NDArray out = block.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
        assertEquals(block.getOutputShapes(shapes)[0], out.getShape(), block.getClass().getSimpleName());
        return out;
    }

    @Test
    void patchEmbedAndItsInverse() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 8));
            assertEquals(new Shape(2, 16, 32), run(m, new PatchEmbed(8, 3, 2, 32), x).getShape());
            NDArray p = PatchEmbed.patchify(x, 2); // (2, 16, 12)
            assertEquals(new Shape(2, 16, 12), p.getShape());
            // token 1 is the patch at row 0, columns 2..3; its first value is channel 0, pixel (0, 2)
            assertEquals(x.getFloat(0, 0, 0, 2), p.getFloat(0, 1, 0));
            assertEquals(x.getFloat(1, 2, 1, 3), p.getFloat(1, 1, 11));
            assertEquals(0f, PatchEmbed.unpatchify(p, 2, 3).sub(x).abs().max().getFloat());
        }
    }

    @Test
    void positionsAreFixedSinCosAndNotParameters() {
        float[] pos = PatchEmbed.sinCosPositions(8, 3);
        assertEquals(9 * 8, pos.length);
        // token (r=1, c=2): [sin(1), cos(1) for i=0; ...], column part [sin(2), ..., cos(2), ...]
        assertEquals((float) Math.sin(1), pos[(3 + 2) * 8], 1e-6f);
        assertEquals((float) Math.cos(1), pos[(3 + 2) * 8 + 2], 1e-6f);
        assertEquals((float) Math.sin(2), pos[(3 + 2) * 8 + 4], 1e-6f);
        assertArrayEquals(pos, PatchEmbed.sinCosPositions(8, 3));
        try (NDManager m = NDManager.newBaseManager()) {
            PatchEmbed pe = new PatchEmbed(8, 3, 2, 32);
            run(m, pe, m.zeros(new Shape(1, 3, 8, 8)));
            assertEquals(2, pe.getParameters().size(), "only the projection's weight and bias");
        }
    }

    @Test
    void timestepEmbedderAndFrequencies() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(new float[] {0f, 500f, 1000f});
            NDArray f = TimestepEmbedder.frequencies(t, 256);
            assertEquals(new Shape(3, 256), f.getShape());
            assertEquals(1f, f.getFloat(0, 0)); // cos(0)
            assertEquals(0f, f.getFloat(0, 128)); // sin(0)
            assertEquals((float) Math.cos(500), f.getFloat(1, 0), 1e-4f);
            assertEquals(new Shape(3, 48), run(m, new TimestepEmbedder(48), t).getShape());
        }
    }

    @Test
    void attentionSelfAndCrossShapesAndSoftmaxWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 5, 16));
            NDArray ctx = m.randomNormal(new Shape(2, 3, 16));
            MultiHeadAttention self = MultiHeadAttention.builder().setHidden(16).setHeads(4).build();
            assertEquals(new Shape(2, 5, 16), run(m, self, x).getShape());
            MultiHeadAttention cross = MultiHeadAttention.builder().setHidden(16).setHeads(4).optCross(true).build();
            NDArray bias = MultiHeadAttention.keyMaskBias(m.create(new float[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3)));
            assertEquals(new Shape(2, 1, 1, 3), bias.getShape());
            assertEquals(-1e4f, bias.getFloat(0, 0, 0, 2));
            assertEquals(new Shape(2, 5, 16), run(m, cross, x, ctx, bias).getShape());
            // a single kept key: every query returns that key's value, so all tokens of row 1 are equal
            NDArray y = cross.forward(new ParameterStore(m, false), new NDList(x, ctx, bias), false).singletonOrThrow();
            assertEquals(0f, y.get(1).sub(y.get(1).get(0)).abs().max().getFloat(), 1e-5f);
        }
    }

    @Test
    void mlpBlockAndFinalLayerShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 4, 16));
            assertEquals(new Shape(2, 4, 7), run(m, new Mlp(64, 7), x).getShape());
            NDArray y = m.randomNormal(new Shape(2, 3, 16));
            NDArray t0 = m.randomNormal(new Shape(2, 6, 16));
            NDArray bias = m.zeros(new Shape(2, 1, 1, 3));
            assertEquals(new Shape(2, 4, 16), run(m, new DiTBlock(16, 2, 4), x, y, t0, bias).getShape());
            NDArray out = run(m, new FinalLayer(16, 12), x, m.randomNormal(new Shape(2, 16)));
            assertEquals(new Shape(2, 4, 12), out.getShape());
            assertEquals(0f, out.abs().max().getFloat(), "final linear is zero at init");
        }
    }

    @Test
    void tanhGeluMatchesItsDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] xs = {-3f, -1f, -0.1f, 0f, 0.5f, 2f};
            float[] got = Layers.geluTanh(m.create(xs)).toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double x = xs[i];
                double want = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                assertEquals(want, got[i], 1e-6, "x = " + x);
            }
            NDArray n = Layers.layerNorm(m.randomNormal(2f, 3f, new Shape(4, 32), DataType.FLOAT32));
            assertTrue(n.mean(new int[] {1}).abs().max().getFloat() < 1e-5f);
        }
    }

    @Test
    void theMlpsExactGeluIsTheErfOneAndDiffersFromTanhGeluByLessThan5e4() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] xs = {-3f, -1f, -0.1f, 0f, 0.5f, 2f};
            NDArray x = m.create(xs);
            float[] exact = ai.djl.nn.Activation.gelu(x).toFloatArray();
            float[] tanh = Layers.geluTanh(x).toFloatArray();
            double largest = 0;
            for (int i = 0; i < xs.length; i++) {
                // 0.5 x (1 + erf(x / sqrt 2)); erf from the standard normal CDF
                double want = xs[i] * new smile.stat.distribution.GaussianDistribution(0, 1).cdf(xs[i]);
                assertEquals(want, exact[i], 1e-6, "x = " + xs[i]);
                largest = Math.max(largest, Math.abs(exact[i] - tanh[i]));
            }
            assertTrue(largest > 1e-5 && largest < 5e-4, "the two GELUs differ by " + largest);
            // the same weights through both MLPs: the outputs differ, slightly
            NDArray in = m.randomNormal(new Shape(2, 4, 8));
            Mlp a = new Mlp(16, 8, true);
            NDArray outA = run(m, a, in);
            Mlp b = new Mlp(16, 8, false);
            run(m, b, in);
            for (var e : a.getParameters()) {
                b.getParameters().get(e.getKey()).getArray().set(e.getValue().getArray().toFloatArray());
            }
            NDArray outB = b.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            float diff = outA.sub(outB).abs().max().getFloat();
            assertTrue(diff > 0 && diff < 1e-2, "MLP outputs differ by " + diff);
        }
    }
}
