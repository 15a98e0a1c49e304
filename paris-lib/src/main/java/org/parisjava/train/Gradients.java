package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * Resets gradients between steps. PyTorch accumulates {@code .grad} across backward passes and DJL
 * exposes no engine-neutral reset, so this zeroes PyTorch tensors directly and falls back to a
 * multiply for other engines.
 */
public final class Gradients {
    private Gradients() {
    }

    public static void zero(Collection<Parameter> params) {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (w instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else {
                try (NDArray g = w.getGradient()) {
                    g.muli(0);
                }
            }
        }
    }
}
