package org.parisjava.cli;

import org.parisjava.train.PreemptionSignal;

/** A child in its "training loop": listens for a stop request as the loop does, and ends cleanly on one. */
public final class ParentWatchTrainerProbe {
    private ParentWatchTrainerProbe() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.startIfAsked();
        try (PreemptionSignal signal = PreemptionSignal.install()) {
            System.out.println("training");
            System.out.flush();
            for (int step = 0; step < 1200; step++) {
                if (signal.requested()) {
                    System.out.println("checkpointed at step " + step + " and stopped: " + signal.reason());
                    System.out.flush();
                    return; // exit code 0: the process ended itself before the grace ran out
                }
                Thread.sleep(100);
            }
        }
        System.exit(3); // only if the request never came
    }
}
