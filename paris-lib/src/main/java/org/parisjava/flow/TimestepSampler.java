package org.parisjava.flow;

import java.util.Random;

/**
 * Draws training timesteps t in [0, 1]. {@link #uniform()} is plain rectified flow;
 * {@link #logitNormal(double, double)} (Esser et al., SD3) concentrates training on intermediate t,
 * where the velocity is hardest to predict. Deterministic given the {@link Random}.
 */
public interface TimestepSampler {

    /**
     * The default training distribution: logit-normal with mean 0 and std 1, the best of the samplers
     * compared for rectified flow in SD3 (Esser et al., arXiv 2403.03206 section 3.1).
     */
    String DEFAULT = "logit-normal(0.0,1.0)";

    /** One timestep. */
    float sample(Random rng);

    /** A name with parameters, recorded in a run's config. */
    String describe();

    /** n timesteps. */
    default float[] sample(int n, Random rng) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = sample(rng);
        }
        return t;
    }

    static TimestepSampler uniform() {
        return new TimestepSampler() {
            @Override
            public float sample(Random rng) {
                return rng.nextFloat();
            }

            @Override
            public String describe() {
                return "uniform";
            }
        };
    }

    /** t = sigmoid(mean + std * N(0, 1)). */
    static TimestepSampler logitNormal(double mean, double std) {
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("Invalid logit-normal parameters: mean " + mean + ", std " + std);
        }
        return new TimestepSampler() {
            @Override
            public float sample(Random rng) {
                double z = mean + std * rng.nextGaussian();
                return (float) (1.0 / (1.0 + Math.exp(-z)));
            }

            @Override
            public String describe() {
                return "logit-normal(" + mean + "," + std + ")";
            }
        };
    }

    /** Parses {@code uniform} or {@code logit-normal(m,s)} as written by {@link #describe()}. */
    static TimestepSampler parse(String spec) {
        String s = spec.trim();
        if (s.equals("uniform")) {
            return uniform();
        }
        if (s.startsWith("logit-normal(") && s.endsWith(")")) {
            String[] parts = s.substring("logit-normal(".length(), s.length() - 1).split(",");
            if (parts.length == 2) {
                return logitNormal(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
            }
        }
        throw new IllegalArgumentException("Unknown timestep sampler '" + spec
                + "'; use uniform or logit-normal(mean,std)");
    }
}
