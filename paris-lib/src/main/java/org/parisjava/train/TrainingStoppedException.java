package org.parisjava.train;

import java.nio.file.Path;

/**
 * Training stopped before its last step because a stop was requested ({@link PreemptionSignal}):
 * a checkpoint of the step reached was written first, so the same command resumes from it and
 * ends bit-identical to an uninterrupted run.
 */
public final class TrainingStoppedException extends RuntimeException {
    /**
     * The exit code a CLI process ends with after such a stop: 75, {@code EX_TEMPFAIL} of
     * sysexits.h ("temporary failure; the user is invited to retry"). Job scripts requeue on it.
     */
    public static final int EXIT_CODE = 75;

    private final long step;
    private final long steps;
    private final transient Path checkpoint;
    private final String reason;

    public TrainingStoppedException(String what, long step, long steps, Path checkpoint, String reason) {
        super(what + ": stopped at step " + step + " of " + steps + " on " + reason + "; checkpoint " + checkpoint
                + ". Run the same command again to resume.");
        this.step = step;
        this.steps = steps;
        this.checkpoint = checkpoint;
        this.reason = reason;
    }

    /** Steps done (the checkpoint's step). */
    public long step() {
        return step;
    }

    /** Steps the run was asked for. */
    public long steps() {
        return steps;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    /** What asked for the stop, e.g. {@code SIGUSR1}. */
    public String reason() {
        return reason;
    }
}
