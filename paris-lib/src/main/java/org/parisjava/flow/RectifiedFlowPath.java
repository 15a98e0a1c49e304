package org.parisjava.flow;

import ai.djl.ndarray.NDArray;

/**
 * The rectified-flow (linear) path of docs/design.md, section 2, the one place the time convention lives:
 * t = 0 is data, t = 1 is pure noise, x_t = (1 - t) x0 + t eps, and the model learns the velocity
 * v = dx_t/dt = eps - x0. Sampling therefore integrates from t = 1 down to t = 0.
 *
 * <p>Shapes: B batch, then any per-sample shape (C, H, W); t is (B).
 */
public final class RectifiedFlowPath {

    private RectifiedFlowPath() {
    }

    /** x_t = (1 - t) x0 + t eps, with t (B) broadcast over the sample axes. */
    public static NDArray interpolate(NDArray x0, NDArray eps, NDArray t) {
        NDArray tb = broadcastable(t, x0); // (B, 1, 1, 1)
        return x0.add(eps.sub(x0).muli(tb)); // (B, C, H, W)
    }

    /** The regression target v = eps - x0 (independent of t on this path). */
    public static NDArray velocity(NDArray x0, NDArray eps) {
        return eps.sub(x0); // (B, C, H, W)
    }

    /** Mean squared error between predicted and target velocity: the flow-matching loss. */
    public static NDArray loss(NDArray predicted, NDArray target) {
        return predicted.sub(target).square().mean(); // ()
    }

    /** Reshapes t (B) to (B, 1, ..., 1) so it broadcasts against x. */
    public static NDArray broadcastable(NDArray t, NDArray x) {
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1L);
        shape[0] = x.getShape().get(0);
        if (t.getShape().size() != shape[0]) {
            throw new IllegalArgumentException("t has shape " + t.getShape() + " but the batch is " + shape[0]);
        }
        return t.reshape(shape);
    }
}
