package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.Collection;

/** Clipping by global norm: all gradients are scaled together so that their joint L2 norm is at most maxNorm. */
public final class GradientClipping {
    /**
     * Default bound on the global gradient norm: 1.0, the common transformer setting (nanoGPT's
     * grad_clip). DiT (arXiv 2212.09748) does not clip; at the small batches of CPU runs a bound
     * keeps an occasional large gradient from undoing the warmup.
     */
    public static final double DEFAULT_MAX_NORM = 1.0;
    private GradientClipping() {
    }

    /** Clips in place and returns the norm before clipping (NaN or infinite if a gradient is). */
    public static double clipGlobalNorm(Collection<Parameter> params, double maxNorm) {
        double norm;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray sum = null;
            for (Parameter p : params) {
                NDArray sq = p.getArray().getGradient().square().sum();
                sum = sum == null ? sq : sum.addi(sq);
            }
            norm = sum == null ? 0 : Math.sqrt(sum.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
            if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (Parameter p : params) {
                    p.getArray().getGradient().muli(scale);
                }
            }
        }
        return norm;
    }

    /**
     * As {@link #clipGlobalNorm(Collection, double)}, reading the step's loss in the same transfer:
     * the loss () and the squared gradient norm are stacked on the device and copied to the host
     * together, the one synchronization of a training step (the loop needs both on the host to stop
     * on a NaN before the update).
     *
     * @param loss the step's scalar loss, on the parameters' device
     * @return {loss, norm before clipping}; either may be NaN or infinite
     */
    public static double[] lossAndClip(Collection<Parameter> params, double maxNorm, NDArray loss) {
        double[] out = new double[2];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray sum = null;
            for (Parameter p : params) {
                NDArray sq = p.getArray().getGradient().square().sum();
                sum = sum == null ? sq : sum.addi(sq);
            }
            NDArray l = loss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(1);
            float[] both = (sum == null ? l : l.concat(sum.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .reshape(1))).toFloatArray(); // the step's one device-to-host copy
            out[0] = both[0];
            out[1] = sum == null ? 0 : Math.sqrt(both[1]);
            double norm = out[1];
            if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (Parameter p : params) {
                    p.getArray().getGradient().muli(scale);
                }
            }
        }
        return out;
    }
}
