package org.parisjava.train;

import org.parisjava.flow.CaptionDropout;
import org.parisjava.flow.TimestepSampler;
import org.parisjava.run.Preset;
import org.parisjava.text.TextEncoders;

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
 * @param text            the text encoder every expert, the monolith and the sampler share: {@code hashed} (the
 *                        default), or {@code hf:PATH}, CLIP's text tower ({@link TextEncoders}); null means hashed
 */
public record TrainOptions(String modelPreset, int steps, int batch, double learningRate, int warmupSteps,
                           double weightDecay, double emaDecay, double gradClip, String timesteps,
                           double captionDropout, int checkpointEvery, int logEvery, long seed, String text) {
    public TrainOptions {
        text = TextEncoders.check(text);
        new LoopOptions(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip, checkpointEvery,
                logEvery, seed); // validates the part every trainer shares
        TimestepSampler.parse(timesteps); // validates, naming the bad spec
        if (!(captionDropout >= 0 && captionDropout <= 1)) {
            throw new IllegalArgumentException("Invalid caption dropout: " + captionDropout);
        }
    }

    /** Options with the hashed text encoder. */
    public TrainOptions(String modelPreset, int steps, int batch, double learningRate, int warmupSteps,
                        double weightDecay, double emaDecay, double gradClip, String timesteps,
                        double captionDropout, int checkpointEvery, int logEvery, long seed) {
        this(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip, timesteps,
                captionDropout, checkpointEvery, logEvery, seed, TextEncoders.HASHED);
    }

    /**
     * The expert settings of a run preset: its model, steps, batch and rate, and the named defaults
     * (each with its source): no weight decay ({@link AdamW#DIT_WEIGHT_DECAY}), EMA
     * {@link Ema#DEFAULT_DECAY}, clipping at {@link GradientClipping#DEFAULT_MAX_NORM}, logit-normal
     * timesteps ({@link TimestepSampler#DEFAULT}), caption dropout {@link CaptionDropout#DEFAULT_P},
     * and the {@link LoopOptions} warmup and cadence rules.
     */
    public static TrainOptions of(Preset p, long seed) {
        int steps = p.expertSteps();
        return new TrainOptions(p.expertModel(), steps, p.expertBatch(), p.learningRate(),
                LoopOptions.defaultWarmup(steps), AdamW.DIT_WEIGHT_DECAY, Ema.DEFAULT_DECAY,
                GradientClipping.DEFAULT_MAX_NORM, TimestepSampler.DEFAULT, CaptionDropout.DEFAULT_P,
                LoopOptions.defaultCheckpointEvery(steps), LoopOptions.defaultLogEvery(steps), seed);
    }

    /** The part the {@link TrainingLoop} runs on. */
    public LoopOptions loop() {
        return new LoopOptions(steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                checkpointEvery, logEvery, seed);
    }

    public TrainOptions withSteps(int n) {
        return new TrainOptions(modelPreset, n, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed, text);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, s, text);
    }

    public TrainOptions withModel(String preset) {
        return new TrainOptions(preset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed, text);
    }

    public TrainOptions withLearningRate(double lr) {
        return new TrainOptions(modelPreset, steps, batch, lr, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed, text);
    }

    /** The same options with text encoder {@code spec} ({@code hashed} or {@code hf:PATH}). */
    public TrainOptions withText(String spec) {
        return new TrainOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, checkpointEvery, logEvery, seed, spec);
    }

    public TrainOptions withCheckpointEvery(int n) {
        return new TrainOptions(modelPreset, steps, batch, learningRate, warmupSteps, weightDecay, emaDecay, gradClip,
                timesteps, captionDropout, n, logEvery, seed, text);
    }
}
