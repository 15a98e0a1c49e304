package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A 2-D convolution with bias, PyTorch's {@code nn.Conv2d} weights ({@code prefix.weight}
 * (out, in, k, k), {@code prefix.bias} (out)). Input (B, in, H, W), output (B, out, H', W') with
 * H' = (H + 2 padding - k) / stride + 1.
 */
public record Conv2dLayer(NDArray weight, NDArray bias, int stride, int padding) {

    /** Claims {@code prefix.weight} and {@code prefix.bias} from {@code weights}. */
    public static Conv2dLayer load(WeightSource weights, String prefix, int in, int out, int kernel, int stride,
            int padding) {
        return new Conv2dLayer(weights.take(prefix + ".weight", out, in, kernel, kernel),
                weights.take(prefix + ".bias", out), stride, padding);
    }

    public NDArray forward(NDArray x) {
        return Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1)
                .singletonOrThrow(); // (B, out, H', W')
    }

    /** {@link #forward} that closes its input (a temporary the caller no longer needs). */
    public NDArray forwardClosing(NDArray x) {
        try (x) {
            return forward(x);
        }
    }
}
