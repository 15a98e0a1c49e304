package org.parisjava.train;

import org.parisjava.run.Preset;

/**
 * How to train the router.
 *
 * @param modelPreset     router preset name (smoke, demo, DiT-B/2)
 * @param steps           optimizer updates in total (a resumed run continues up to this)
 * @param batch           images per update, drawn from the union of all shards
 * @param learningRate    AdamW base rate
 * @param warmupSteps     linear warmup length
 * @param weightDecay     decoupled weight decay
 * @param emaDecay        EMA decay of the weights used at sampling time
 * @param gradClip        global gradient-norm bound (0 = off)
 * @param heldOut         images kept out of training to measure accuracy by timestep
 * @param evalBins        timestep bins of that measurement
 * @param checkpointEvery steps between checkpoints (one is always written at the end)
 * @param logEvery        steps between loss.csv rows and progress events
 * @param seed            seed of the run: split, data order, timesteps, noise and initialization derive from it
 */
public record RouterOptions(String modelPreset, int steps, int batch, double learningRate, int warmupSteps,
                            double weightDecay, double emaDecay, double gradClip, int heldOut, int evalBins,
                            int checkpointEvery, int logEvery, long seed) {
    /**
     * AdamW rate of the router: 3e-4, our choice. The papers give none for the router (Paris arXiv
     * 2510.03434 trains it after the experts with cross-entropy; DDM arXiv 2501.05450 likewise).
     */
    public static final double DEFAULT_LEARNING_RATE = 3e-4;
    /** Timestep bins of the held-out accuracy measurement (figure 3: accuracy against t). */
    public static final int DEFAULT_EVAL_BINS = 10;
    /** Held-out images for that measurement: the preset's evaluation images, within these bounds. */
    public static final int MIN_HELD_OUT = 64;
    public static final int MAX_HELD_OUT = 512;

    public RouterOptions {
        new LoopOptions(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip, checkpointEvery,
                logEvery, seed); // validates the part every trainer shares
        if (heldOut < 0 || evalBins < 1) {
            throw new IllegalArgumentException("Invalid held-out count " + heldOut + " or timestep bins " + evalBins);
        }
    }

    /** The router settings of a run preset, with the named defaults (the experts' where the papers give none). */
    public static RouterOptions of(Preset p, long seed) {
        int steps = p.routerSteps();
        return new RouterOptions(p.routerModel(), steps, p.routerBatch(), DEFAULT_LEARNING_RATE,
                LoopOptions.defaultWarmup(steps), AdamW.DIT_WEIGHT_DECAY, Ema.DEFAULT_DECAY,
                GradientClipping.DEFAULT_MAX_NORM, Math.min(MAX_HELD_OUT, Math.max(MIN_HELD_OUT, p.evalImages())),
                DEFAULT_EVAL_BINS, LoopOptions.defaultCheckpointEvery(steps), LoopOptions.defaultLogEvery(steps), seed);
    }

    /** The part the {@link TrainingLoop} runs on. */
    public LoopOptions loop() {
        return new LoopOptions(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                checkpointEvery, logEvery, seed);
    }

    public RouterOptions withSteps(int n) {
        return new RouterOptions(modelPreset, n, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                heldOut, evalBins, checkpointEvery, logEvery, seed);
    }

    public RouterOptions withHeldOut(int n) {
        return new RouterOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                n, evalBins, checkpointEvery, logEvery, seed);
    }

    public RouterOptions withLearningRate(double lr) {
        return new RouterOptions(modelPreset, steps, batch, lr, warmupSteps, weightDecay, emaDecay, gradClip,
                heldOut, evalBins, checkpointEvery, logEvery, seed);
    }
}
