package org.parisjava.train;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Asks a {@link TrainingLoop} to stop early, e.g. on a batch scheduler's preemption warning (Slurm
 * sends USR1 some time before it kills a job). The loop polls it once before every update; when
 * it answers true, the loop writes a checkpoint at the current step at once and returns a result
 * that says it stopped early. Running the same command again resumes from that checkpoint and ends
 * bit-identical to a run that was never stopped.
 */
@FunctionalInterface
public interface StopRequest {
    /** Never stops: the run goes to its last step. */
    StopRequest NEVER = done -> false;

    /**
     * Whether to stop now, before the next update.
     *
     * @param done updates done so far (the step a checkpoint written now would carry)
     */
    boolean shouldStop(long done);

    /** Stops once {@code steps} updates are done (a time-boxed share of a run, or a test). */
    static StopRequest atStep(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("Invalid stop step: " + steps);
        }
        return done -> done >= steps;
    }

    /** Stops when {@code condition} turns true, e.g. a flag a signal handler sets. */
    static StopRequest when(BooleanSupplier condition) {
        return done -> condition.getAsBoolean();
    }

    /** A request another thread raises with {@link Flag#raise()}: what a signal handler holds. */
    static Flag flag() {
        return new Flag();
    }

    /** A thread-safe stop flag. */
    final class Flag implements StopRequest {
        private final AtomicBoolean raised = new AtomicBoolean();

        private Flag() {
        }

        /** Asks the loop to checkpoint and return before its next update. */
        public void raise() {
            raised.set(true);
        }

        public boolean raised() {
            return raised.get();
        }

        @Override
        public boolean shouldStop(long done) {
            return raised.get();
        }
    }
}
