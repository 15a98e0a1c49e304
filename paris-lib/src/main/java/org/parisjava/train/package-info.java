/**
 * Training: one loop, {@link org.parisjava.train.TrainingLoop}, and the loss steps on top of it
 * ({@link org.parisjava.train.LossStep}): flow matching for the experts and the monolith
 * ({@link org.parisjava.train.FlowTrainer}, {@link org.parisjava.train.ExpertTrainer},
 * {@link org.parisjava.train.MonolithTrainer}), cross-entropy on the cluster id for the router
 * ({@link org.parisjava.train.RouterTrainer}, with its held-out
 * {@link org.parisjava.train.RouterAccuracy}), and the evaluation classifier's heads (in eval).
 * The loop owns what they share: resume and its compatibility check, data order, AdamW with
 * warmup, global-norm clipping, EMA, finiteness checks, loss.csv, progress, atomic
 * {@link org.parisjava.train.Checkpoint}s and an early stop on request
 * ({@link org.parisjava.train.StopRequest}, for preemption).
 *
 * <p>Reproducibility rule: everything random in a step (batch indices, timesteps, noise, caption
 * dropout) is a function of (seed, step), so a run resumed from a checkpoint replays exactly the
 * batches the uninterrupted run would have seen, and ends with bit-identical weights.
 *
 * <p>Default hyperparameters are named constants beside the type that uses them, each with its
 * source: {@link org.parisjava.train.AdamW#BETA1}, {@link org.parisjava.train.Ema#DEFAULT_DECAY},
 * {@link org.parisjava.train.GradientClipping#DEFAULT_MAX_NORM},
 * {@link org.parisjava.train.LoopOptions#defaultWarmup}, {@link org.parisjava.train.RouterOptions#DEFAULT_LEARNING_RATE},
 * {@link org.parisjava.flow.CaptionDropout#DEFAULT_P}, {@link org.parisjava.flow.TimestepSampler#DEFAULT}.
 */
package org.parisjava.train;
