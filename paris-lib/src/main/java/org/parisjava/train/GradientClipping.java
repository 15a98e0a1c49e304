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
}
