package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** TEMPORARY bridge until the flow package lands on this branch; replaced by org.parisjava.flow. */
final class FlowSteps {
    private FlowSteps() {
    }

    static String dropCaption(String caption, double p, SplittableRandom rng) {
        return rng.nextDouble() < p ? "" : caption;
    }

    static NDArray sampleTimesteps(String kind, int b, NDManager m) {
        if (kind.equals("uniform")) {
            return m.randomUniform(0f, 1f, new Shape(b));
        }
        NDArray z = m.randomNormal(new Shape(b));
        return z.neg().exp().add(1f).pow(-1f);
    }

    static NDArray interpolate(NDArray x0, NDArray eps, NDArray t) {
        NDArray tt = t.reshape(t.getShape().get(0), 1, 1, 1);
        return x0.mul(tt.neg().add(1f)).add(eps.mul(tt));
    }

    static NDArray velocity(NDArray x0, NDArray eps) {
        return eps.sub(x0);
    }
}
