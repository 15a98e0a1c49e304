package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * What a trainer adds to the {@link TrainingLoop}: the loss of one batch. The loop picks the batch,
 * seeds every random source of the step from (seed, step), opens the gradient collector and a
 * per-step {@link NDManager}, and does everything after the loss (backward, checks, clipping,
 * AdamW, EMA, logs, checkpoints). A flow-matching expert, the router and the evaluation classifier
 * are each one of these.
 */
@FunctionalInterface
public interface LossStep {

    /**
     * The scalar loss of one update, recorded for autograd: load the examples, draw what is random,
     * run the model in training mode, return the loss (shape ()). Allocate in {@code batch.manager()}.
     */
    NDArray loss(Batch batch);

    /**
     * One update's inputs.
     *
     * @param step    0-based update number
     * @param indices example indices of this update (B), from {@link DataOrder}: in [0, examples)
     * @param random  seeded by (seed, step), for draws made in Java (timesteps, caption dropout); the
     *                engine's generator (noise) is seeded from the same pair before the step starts
     * @param manager closed after the update, with everything allocated in it
     */
    record Batch(long step, int[] indices, Random random, NDManager manager) {
        public int size() {
            return indices.length;
        }
    }
}
