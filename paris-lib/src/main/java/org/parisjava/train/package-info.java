/**
 * Training: the expert and monolith trainers, and the pieces any trainer reuses (the router's
 * too): {@link org.parisjava.train.AdamW}, {@link org.parisjava.train.Ema}, global-norm
 * gradient clipping, warmup, stable parameter names, safetensors files and atomic, resumable
 * {@link org.parisjava.train.Checkpoint}s.
 *
 * <p>Reproducibility rule: everything random in a step (batch indices, timesteps, noise, caption
 * dropout) is a function of (seed, step), so a run resumed from a checkpoint replays exactly the
 * batches the uninterrupted run would have seen.
 */
package org.parisjava.train;
