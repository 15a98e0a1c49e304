package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * A linear layer y = x W^T + b, PyTorch's {@code nn.Linear} weights ({@code prefix.weight}
 * (out, in), {@code prefix.bias} (out)). Input (..., in), output (..., out).
 */
public record LinearLayer(NDArray weight, NDArray bias) {

    /** Claims {@code prefix.weight} and {@code prefix.bias}. */
    public static LinearLayer load(WeightSource weights, String prefix, int in, int out) {
        return load(weights, prefix + ".weight", prefix + ".bias", in, out);
    }

    /** Claims the weight and bias under explicit names (older checkpoints spell some layers differently). */
    public static LinearLayer load(WeightSource weights, String weightName, String biasName, int in, int out) {
        return new LinearLayer(weights.take(weightName, out, in), weights.take(biasName, out));
    }

    public NDArray forward(NDArray x) {
        return Linear.linear(x, weight, bias).singletonOrThrow(); // (..., out)
    }

    /** {@link #forward} that closes its input. */
    public NDArray forwardClosing(NDArray x) {
        try (x) {
            return forward(x);
        }
    }
}
