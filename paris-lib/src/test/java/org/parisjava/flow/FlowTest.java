package org.parisjava.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTest {

    private static float maxAbs(NDArray a) {
        return a.abs().max().getFloat();
    }

    @Test
    void pathIsDataAtZeroNoiseAtOneAndLinearBetween() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.randomNormal(new Shape(3, 2, 4, 4));
            NDArray eps = m.randomNormal(new Shape(3, 2, 4, 4));
            assertEquals(0f, maxAbs(RectifiedFlowPath.interpolate(x0, eps, m.zeros(new Shape(3))).sub(x0)));
            assertEquals(0f, maxAbs(RectifiedFlowPath.interpolate(x0, eps, m.ones(new Shape(3))).sub(eps)), 1e-6f);
            // per-sample t: row 1 at t = 0.25 is 0.75 x0 + 0.25 eps
            NDArray xt = RectifiedFlowPath.interpolate(x0, eps, m.create(new float[] {0f, 0.25f, 1f}));
            assertEquals(0f, maxAbs(xt.get(1).sub(x0.get(1).mul(0.75f).add(eps.get(1).mul(0.25f)))), 1e-6f);
            assertEquals(0f, maxAbs(xt.get(0).sub(x0.get(0))));
        }
    }

    @Test
    void velocityTargetIsTheTimeDerivativeOfThePath() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.randomNormal(new Shape(2, 1, 3, 3));
            NDArray eps = m.randomNormal(new Shape(2, 1, 3, 3));
            NDArray v = RectifiedFlowPath.velocity(x0, eps);
            assertEquals(0f, maxAbs(v.sub(eps.sub(x0))));
            float h = 0.1f;
            NDArray a = RectifiedFlowPath.interpolate(x0, eps, m.create(new float[] {0.3f, 0.6f}));
            NDArray b = RectifiedFlowPath.interpolate(x0, eps, m.create(new float[] {0.3f + h, 0.6f + h}));
            assertEquals(0f, maxAbs(b.sub(a).div(h).sub(v)), 1e-4f);
            assertEquals(0f, RectifiedFlowPath.loss(v, v).getFloat());
        }
    }

    @Test
    void eulerAndHeunIntegrateALinearFieldHeunFarBetter() {
        // dx/dt = a x, integrated from t = 1 to 0: x(0) = x(1) exp(-a)
        float a = 1.5f;
        VelocityField field = (x, t) -> x.mul(a);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray noise = m.create(new float[] {1f, -2f, 0.5f}, new Shape(3, 1, 1, 1));
            NDArray exact = noise.mul((float) Math.exp(-a));
            float eulerErr = maxAbs(new EulerSolver().sample(field, noise, 20).sub(exact));
            float heunErr = maxAbs(new HeunSolver().sample(field, noise, 20).sub(exact));
            assertTrue(eulerErr > 1e-3f, "Euler should be visibly first order: " + eulerErr);
            assertTrue(heunErr < eulerErr / 30, "Heun " + heunErr + " vs Euler " + eulerErr);
            // a constant field is integrated exactly by both: x(0) = x(1) - c
            VelocityField constant = (x, t) -> x.onesLike().mul(2f);
            assertEquals(0f, maxAbs(new EulerSolver().sample(constant, noise, 7).sub(noise.sub(2f))), 1e-5f);
            assertEquals(0f, maxAbs(new HeunSolver().sample(constant, noise, 7).sub(noise.sub(2f))), 1e-5f);
            // the solver leaves the noise alone and visits t from 1 down to 0
            assertArrayEquals(new float[] {1f, -2f, 0.5f}, noise.toFloatArray());
        }
    }

    @Test
    void solverVisitsTimesFromOneDownAndEulerOnAFlowPathRecoversData() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.randomNormal(new Shape(2, 1, 2, 2));
            NDArray eps = m.randomNormal(new Shape(2, 1, 2, 2));
            NDArray target = RectifiedFlowPath.velocity(x0, eps);
            List<Float> seen = new java.util.ArrayList<>();
            // the exact velocity of a straight path: Euler lands on x0 in any number of steps
            VelocityField v = (x, t) -> {
                seen.add(t);
                return target.duplicate();
            };
            NDArray out = new EulerSolver().sample(v, eps, 4);
            assertEquals(0f, maxAbs(out.sub(x0)), 1e-5f);
            assertEquals(List.of(1f, 0.75f, 0.5f, 0.25f), seen);
        }
    }

    @Test
    void guidanceScaleOneIsTheConditionalModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray cond = m.randomNormal(new Shape(2, 3, 4, 4));
            NDArray uncond = m.randomNormal(new Shape(2, 3, 4, 4));
            assertEquals(0f, maxAbs(ClassifierFreeGuidance.combine(uncond, cond, 1f).sub(cond)), 1e-6f);
            assertEquals(0f, maxAbs(ClassifierFreeGuidance.combine(uncond, cond, 0f).sub(uncond)), 1e-6f);
            NDArray g = ClassifierFreeGuidance.combine(uncond, cond, 7.5f);
            assertEquals(0f, maxAbs(g.sub(uncond.add(cond.sub(uncond).mul(7.5f)))), 1e-5f);
            NDArray stacked = cond.concat(uncond, 0);
            assertEquals(0f, maxAbs(ClassifierFreeGuidance.combineStacked(stacked, 7.5f).sub(g)), 1e-6f);
        }
    }

    @Test
    void captionDropoutDropsAboutTenPercentDeterministically() {
        List<String> caps = Collections.nCopies(10_000, "a red circle");
        List<String> a = new CaptionDropout().apply(caps, new Random(7));
        List<String> b = new CaptionDropout().apply(caps, new Random(7));
        assertEquals(a, b);
        long dropped = a.stream().filter(String::isEmpty).count();
        assertTrue(dropped > 900 && dropped < 1100, "dropped " + dropped);
        assertNotEquals(a, new CaptionDropout().apply(caps, new Random(8)));
    }

    @Test
    void timestepSamplersStayInUnitIntervalAndLogitNormalConcentrates() {
        float[] u = TimestepSampler.uniform().sample(20_000, new Random(1));
        float[] ln = TimestepSampler.logitNormal(0, 1).sample(20_000, new Random(1));
        double meanU = 0;
        int lnMiddle = 0;
        int uMiddle = 0;
        for (int i = 0; i < u.length; i++) {
            assertTrue(u[i] >= 0 && u[i] <= 1 && ln[i] > 0 && ln[i] < 1);
            meanU += u[i] / u.length;
            uMiddle += Math.abs(u[i] - 0.5) < 0.2 ? 1 : 0;
            lnMiddle += Math.abs(ln[i] - 0.5) < 0.2 ? 1 : 0;
        }
        assertEquals(0.5, meanU, 0.01);
        assertTrue(lnMiddle > uMiddle * 1.2, "logit-normal " + lnMiddle + " vs uniform " + uMiddle);
        assertArrayEquals(ln, TimestepSampler.parse("logit-normal(0.0,1.0)").sample(20_000, new Random(1)));
    }
}
