package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activations of the frozen networks, in the forms PyTorch computes them. */
public final class Activations {

    private Activations() {
    }

    /** SiLU, x * sigmoid(x) (PyTorch's {@code nn.SiLU}); closes {@code x}. */
    public static NDArray siluClosing(NDArray x) {
        try (x) {
            return Activation.sigmoid(x).muli(x); // (...)
        }
    }

    /** GELU with the exact erf form (PyTorch's default {@code nn.GELU()}, transformers' "gelu"); closes {@code x}. */
    public static NDArray geluClosing(NDArray x) {
        try (x) {
            return Activation.gelu(x); // (...)
        }
    }

    /** OpenAI CLIP's quick_gelu, x * sigmoid(1.702 x) (transformers' "quick_gelu"); closes {@code x}. */
    public static NDArray quickGeluClosing(NDArray x) {
        try (x; NDArray scaled = x.mul(QUICK_GELU)) {
            return Activation.sigmoid(scaled).muli(x); // (...)
        }
    }

    /** The factor of CLIP's sigmoid approximation of GELU (Hendrycks and Gimpel 2016, arXiv 1606.08415). */
    private static final float QUICK_GELU = 1.702f;
}
