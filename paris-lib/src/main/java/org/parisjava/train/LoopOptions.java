package org.parisjava.train;

/**
 * What every training run shares, whatever it trains: how long, how big a batch, the optimizer
 * (AdamW with linear warmup), the EMA, clipping, and the cadence of checkpoints and log rows.
 * {@link TrainOptions} (experts, monolith), {@link RouterOptions} and the evaluation classifier's
 * options each add their own settings and hand this part to the {@link TrainingLoop}.
 *
 * @param steps           optimizer updates in total (a resumed run continues up to this)
 * @param batch           examples per update
 * @param learningRate    AdamW base rate, reached after the warmup
 * @param warmupSteps     linear warmup length ({@link LearningRate})
 * @param weightDecay     decoupled weight decay ({@link AdamW})
 * @param emaDecay        EMA decay of the weights used after training ({@link Ema}); 0 keeps a plain copy
 * @param gradClip        global gradient-norm bound (0 = off, the norm is still checked for finiteness)
 * @param checkpointEvery updates between checkpoints (one is always written at the end)
 * @param logEvery        updates between loss.csv rows, log lines and progress events
 * @param seed            seed of the run: data order and every random draw of a step derive from (seed, step)
 */
public record LoopOptions(int steps, int batch, double learningRate, int warmupSteps, double weightDecay,
                          double emaDecay, double gradClip, int checkpointEvery, int logEvery, long seed) {
    /** Longest default warmup, in updates. */
    public static final int MAX_WARMUP = 100;
    /** Most updates between two default checkpoints. */
    public static final int MAX_CHECKPOINT_EVERY = 1000;
    /** Most updates between two default loss.csv rows. */
    public static final int MAX_LOG_EVERY = 50;

    public LoopOptions {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("Invalid steps " + steps + " or batch " + batch);
        }
        if (!(learningRate > 0) || warmupSteps < 0 || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate " + learningRate + ", warmup " + warmupSteps
                    + " or weight decay " + weightDecay);
        }
        if (!(emaDecay >= 0 && emaDecay < 1) || !(gradClip >= 0)) {
            throw new IllegalArgumentException("Invalid EMA decay " + emaDecay + " or gradient clip " + gradClip);
        }
        if (checkpointEvery < 1 || logEvery < 1) {
            throw new IllegalArgumentException("Invalid checkpointEvery " + checkpointEvery + " or logEvery " + logEvery);
        }
    }

    /** Default warmup for a run of {@code steps} updates: a tenth of the run, at most {@link #MAX_WARMUP}. */
    public static int defaultWarmup(int steps) {
        return Math.min(MAX_WARMUP, steps / 10);
    }

    /** Default checkpoint cadence: four per run, at least every {@link #MAX_CHECKPOINT_EVERY} updates. */
    public static int defaultCheckpointEvery(int steps) {
        return Math.max(1, Math.min(MAX_CHECKPOINT_EVERY, steps / 4));
    }

    /** Default log cadence: twenty rows per run, at least every {@link #MAX_LOG_EVERY} updates. */
    public static int defaultLogEvery(int steps) {
        return Math.max(1, Math.min(MAX_LOG_EVERY, steps / 20));
    }
}
