package org.parisjava.train;

import java.nio.file.Path;

/**
 * What a training run ended with.
 *
 * @param outputDir      the expert (or monolith) folder
 * @param checkpoint     the final checkpoint directory
 * @param startStep      the step it resumed from (0 for a fresh run)
 * @param steps          total steps done
 * @param firstLoss      mean loss over the first logged window of this invocation
 * @param lastLoss       mean loss over the last logged window
 * @param imagesPerSecond training throughput of this invocation
 */
public record TrainResult(Path outputDir, Path checkpoint, long startStep, long steps, double firstLoss,
                          double lastLoss, double imagesPerSecond) {
}
