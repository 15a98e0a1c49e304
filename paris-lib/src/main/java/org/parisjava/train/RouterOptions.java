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
    public RouterOptions {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("Invalid router steps " + steps + " or batch " + batch);
        }
        if (!(learningRate > 0) || warmupSteps < 0 || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid router learning rate " + learningRate + ", warmup "
                    + warmupSteps + " or weight decay " + weightDecay);
        }
        if (!(emaDecay >= 0 && emaDecay < 1) || !(gradClip >= 0)) {
            throw new IllegalArgumentException("Invalid EMA decay " + emaDecay + " or gradient clip " + gradClip);
        }
        if (heldOut < 0 || evalBins < 1) {
            throw new IllegalArgumentException("Invalid held-out count " + heldOut + " or timestep bins " + evalBins);
        }
        if (checkpointEvery < 1 || logEvery < 1) {
            throw new IllegalArgumentException("Invalid checkpointEvery " + checkpointEvery + " or logEvery " + logEvery);
        }
    }

    /** The router settings of a run preset, with the defaults below. */
    public static RouterOptions of(Preset p, long seed) {
        int steps = p.routerSteps();
        return new RouterOptions(p.routerModel(), steps, p.routerBatch(), 3e-4, Math.min(100, steps / 10), 0.0,
                0.999, 1.0, Math.min(512, Math.max(64, p.evalImages())), 10, Math.max(1, Math.min(1000, steps / 4)),
                Math.max(1, Math.min(50, steps / 20)), seed);
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
