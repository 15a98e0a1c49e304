package org.parisjava.infer;

import org.parisjava.data.ImageSpec;
import org.parisjava.flow.OdeSolver;

/**
 * Settings of a sampling run.
 *
 * @param spec          shape of the generated images (or latents)
 * @param steps         Euler steps from t = 1 to t = 0 (the paper: 50)
 * @param guidanceScale classifier-free guidance scale s in v = v(empty) + s (v(c) - v(empty)); 1 turns
 *                      guidance off and halves the expert batch (the paper: 7.5)
 * @param seed          seeds the initial noise, together with each image's id
 * @param solver        ODE solver name: euler (the paper) or heun (two evaluations per step)
 */
public record SamplerConfig(ImageSpec spec, int steps, double guidanceScale, long seed, String solver) {
    public SamplerConfig {
        OdeSolver.of(solver); // validates the name
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

    /** Euler sampling, as the paper. */
    public SamplerConfig(ImageSpec spec, int steps, double guidanceScale, long seed) {
        this(spec, steps, guidanceScale, seed, "euler");
    }

    /** Model evaluations along one trajectory: steps x the solver's evaluations per step. */
    public int evaluations() {
        return steps * OdeSolver.of(solver).evaluationsPerStep();
    }

    public boolean guided() {
        return guidanceScale != 1.0;
    }
}
