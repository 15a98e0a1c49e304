package org.parisjava.train;

import java.nio.file.Path;

/**
 * What one invocation of a {@link TrainingLoop} ended with.
 *
 * @param outputDir       the trained model's folder (null for a run kept in memory)
 * @param checkpoint      the newest checkpoint directory (null if none was written)
 * @param startStep       the step it resumed from (0 for a fresh run)
 * @param steps           updates done when it returned: the options' total, or fewer if stopped early
 * @param firstLoss       mean loss over the first logged window of this invocation (NaN if none)
 * @param lastLoss        mean loss over the last logged window (NaN if none)
 * @param imagesPerSecond training throughput of this invocation
 * @param stoppedEarly    true when a {@link StopRequest} ended the run before its last step: the
 *                        checkpoint holds that step and running the same training again resumes from it
 */
public record TrainResult(Path outputDir, Path checkpoint, long startStep, long steps, double firstLoss,
                          double lastLoss, double imagesPerSecond, boolean stoppedEarly) {

    /** True when the run reached its last step. */
    public boolean finished() {
        return !stoppedEarly;
    }
}
