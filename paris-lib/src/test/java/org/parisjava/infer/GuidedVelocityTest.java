package org.parisjava.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parisjava.flow.ClassifierFreeGuidance;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;
import org.parisjava.train.ParameterNames;

class GuidedVelocityTest {

    @Test
    void guidedVelocityIsTheCfgCombinationOfTwoForwardsAndScaleOneIsConditional() {
        Engine.getInstance().setRandomSeed(4);
        DiTConfig c = DiTConfig.of("smoke");
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiT.create(c);
            dit.initialize(m, DataType.FLOAT32, dit.inputShapes(2));
            // every zero-initialized parameter gets small values, so the caption reaches the output
            for (Parameter p : ParameterNames.of(dit).values()) {
                NDArray a = p.getArray();
                if (a.abs().sum().getFloat() == 0f) {
                    a.addi(m.randomNormal(0f, 0.05f, a.getShape(), DataType.FLOAT32));
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            HashedTokenEncoder enc = new HashedTokenEncoder(c.textDim(), c.textTokens());
            TextBatch text = enc.encode(List.of("red circle", "blue square"), m);
            TextBatch empty = enc.encode(List.of(""), m);
            NDArray x = m.randomNormal(new Shape(2, 3, 16, 16)); // (B, C, H, W)
            NDArray t = m.full(new Shape(2), 0.3f); // (B)
            NDArray vc = dit.forward(ps, new NDList(x, t, text.tokens(), text.mask()), false).singletonOrThrow();
            NDArray vu = dit.forward(ps, new NDList(x, t, empty.tokens().repeat(0, 2), empty.mask().repeat(0, 2)),
                    false).singletonOrThrow();
            NDArray want = ClassifierFreeGuidance.combine(vu, vc, 4f);
            try (GuidedVelocity g1 = new GuidedVelocity(dit, ps, text, empty, 1f);
                 GuidedVelocity g4 = new GuidedVelocity(dit, ps, text, empty, 4f)) {
                assertEquals(0f, g1.apply(x, 0.3f).sub(vc).abs().max().getFloat(), 1e-6f);
                assertEquals(0f, g4.apply(x, 0.3f).sub(want).abs().max().getFloat(), 1e-4f);
                assertTrue(vc.sub(vu).abs().max().getFloat() > 1e-4f, "the caption must matter");
            }
            // the per-call form, used for the ensemble's changing rows, is the same field
            NDArray once = GuidedVelocity.of(dit, ps, x, t, text.tokens(), text.mask(), empty, 4f);
            assertEquals(0f, once.sub(want).abs().max().getFloat(), 1e-4f);
            NDArray plain = GuidedVelocity.of(dit, ps, x, t, text.tokens(), text.mask(), null, 1f);
            assertEquals(0f, plain.sub(vc).abs().max().getFloat(), 1e-6f);
        }
    }
}
