package org.parisjava.train;

import org.parisjava.flow.TimestepSampler;
import org.parisjava.run.Preset;

/**
 * How to train one flow-matching model (an expert or the monolith).
 *
 * @param modelPreset     DiT preset name (smoke, demo, DiT-B/2, DiT-XL/2)
 * @param steps           optimizer updates in total (a resumed run continues up to this)
 * @param batch           images per update
 * @param learningRate    AdamW base rate
 * @param warmupSteps     linear warmup length
 * @param weightDecay     decoupled weight decay
 * @param emaDecay        EMA decay of the sampling weights
 * @param gradClip        global gradient-norm bound (0 = off)
 * @param timesteps       "uniform" or "logit-normal(mean,std)" (see {@link TimestepSampler#parse})
 * @param captionDropout  fraction of captions replaced by the empty caption (classifier-free guidance)
 * @param checkpointEvery steps between checkpoints (one is always written at the end)
 * @param logEvery        steps between loss.csv rows, log lines and progress events
 * @param seed            seed of the run: data order, noise, timesteps, dropout and initialization derive from it
 */
public record TrainOptions(String modelPreset, int steps, int batch, double learningRate, int warmupSteps,
                           double weightDecay, double emaDecay, double gradClip, String timesteps,
                           double captionDropout, int checkpointEvery, int logEvery, long seed) {
    public TrainOptions {
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
        TimestepSampler.parse(timesteps); // validates, naming the bad spec
        if (!(captionDropout >= 0 && captionDropout <= 1)) {
            throw new IllegalArgumentException("Invalid caption dropout: " + captionDropout);
        }
        if (checkpointEvery < 1 || logEvery < 1) {
            throw new IllegalArgumentException("Invalid checkpointEvery " + checkpointEvery + " or logEvery " + logEvery);
        }
    }

    /** The expert settings of a run preset: its model, steps, batch and rate, with the defaults below. */
    public static TrainOptions of(Preset p, long seed) {
        int steps = p.expertSteps();
        return new TrainOptions(p.expertModel(), steps, p.expertBatch(), p.learningRate(), Math.min(100, steps / 10),
                0.0, 0.999, 1.0, "logit-normal(0.0,1.0)", 0.1, Math.max(1, Math.min(1000, steps / 4)),
                Math.max(1, Math.min(50, steps / 20)), seed);
    }

    public TrainOptions withSteps(int n) {
        return new TrainOptions(modelPreset, n, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, s);
    }

    public TrainOptions withModel(String preset) {
        return new TrainOptions(preset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed);
    }

    public TrainOptions withLearningRate(double lr) {
        return new TrainOptions(modelPreset, steps, batch, lr, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed);
    }

    public TrainOptions withCheckpointEvery(int n) {
        return new TrainOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, n, logEvery, seed);
    }
}
