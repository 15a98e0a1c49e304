package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * LayerNorm over the last axis with learned scale and shift ({@code prefix.weight},
 * {@code prefix.bias}, both (D)). Input and output (..., D).
 */
public record LayerNormLayer(NDArray weight, NDArray bias, float eps) {

    public static LayerNormLayer load(WeightSource weights, String prefix, int dim, float eps) {
        return new LayerNormLayer(weights.take(prefix + ".weight", dim), weights.take(prefix + ".bias", dim), eps);
    }

    public NDArray forward(NDArray x) {
        long d = weight.getShape().get(0);
        return x.getNDArrayInternal().layerNorm(x, new Shape(d), weight, bias, eps).singletonOrThrow(); // (..., D)
    }
}
