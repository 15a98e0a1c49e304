package org.parisjava.infer;

import org.parisjava.data.ImageSpec;

/**
 * Settings of a sampling run.
 *
 * @param spec          shape of the generated images (or latents)
 * @param steps         Euler steps from t = 1 to t = 0 (the paper: 50)
 * @param guidanceScale classifier-free guidance scale s in v = v(empty) + s (v(c) - v(empty)); 1 turns
 *                      guidance off and halves the expert batch (the paper: 7.5)
 * @param seed          seeds the initial noise, together with each image's id
 */
public record SamplerConfig(ImageSpec spec, int steps, double guidanceScale, long seed) {
    public SamplerConfig {
        if (spec == null) {
            throw new IllegalArgumentException("Image spec must not be null");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("Invalid number of sampling steps: " + steps);
        }
        if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("Invalid guidance scale: " + guidanceScale);
        }
    }

    public boolean guided() {
        return guidanceScale != 1.0;
    }
}
