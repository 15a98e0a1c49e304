package org.parisjava.train;

/**
 * Linear warmup from 0 to the base rate over {@code warmupSteps}, then constant (DiT trains at a
 * constant 1e-4; the warmup keeps the first Adam steps, whose second moments are still tiny, small).
 */
public record LearningRate(double base, int warmupSteps) {
    public LearningRate {
        if (!(base > 0) || warmupSteps < 0) {
            throw new IllegalArgumentException("Invalid learning rate " + base + " or warmup " + warmupSteps);
        }
    }

    /** The rate for the update numbered {@code step} (0-based). */
    public double at(long step) {
        return warmupSteps == 0 ? base : base * Math.min(1.0, (step + 1.0) / warmupSteps);
    }
}
