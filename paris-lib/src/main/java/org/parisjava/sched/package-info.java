/**
 * Running a reproduction on a batch scheduler: Slurm job scripts for every stage (clustering, the
 * K experts as one job array, the monolith, the router, evaluation and figures) with their
 * dependencies and per-stage or per-expert resources, the client that submits and queries them
 * ({@code sbatch}, {@code squeue}, {@code scontrol}, {@code sacct}), and the status of a run read
 * from its folder and the scheduler.
 *
 * <p>The stages share nothing but the run folder (each job runs {@code paris run-stage}, which reads
 * every setting of the run from its run.json and runs the stage as {@code paris reproduce} does,
 * {@link org.parisjava.reproduce.Reproduction#runStage}), so every job only needs that folder on a
 * shared filesystem.
 * Jobs are idempotent (a done stage exits at once) and resumable (a training job resumes from its newest checkpoint; on {@code SIGUSR1} before a time
 * limit it checkpoints and is requeued).
 */
package org.parisjava.sched;
