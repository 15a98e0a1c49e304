package org.parisjava.infer;

import java.util.Arrays;

/**
 * What a routing strategy may know about a batch besides the router's probabilities.
 *
 * @param step         index of the sampling step (0 at t = 1); seeds stochastic strategies
 * @param sampleIds    a stable id per row (e.g. the image index in the evaluation set), so that a
 *                     stochastic strategy draws the same experts for an image whatever batch it is in
 * @param trueClusters the cluster each row's prompt came from, or null when unknown (oracle needs it)
 */
public record RoutingContext(int step, long[] sampleIds, int[] trueClusters) {
    public RoutingContext {
        if (step < 0) {
            throw new IllegalArgumentException("Invalid sampling step: " + step);
        }
        if (sampleIds == null) {
            throw new IllegalArgumentException("sampleIds must not be null");
        }
        if (trueClusters != null && trueClusters.length != sampleIds.length) {
            throw new IllegalArgumentException("trueClusters has " + trueClusters.length + " rows, sampleIds "
                    + sampleIds.length);
        }
        sampleIds = sampleIds.clone();
        trueClusters = trueClusters == null ? null : trueClusters.clone();
    }

    /** Rows numbered 0..batch-1, no true clusters. */
    public static RoutingContext of(int step, int batch) {
        long[] ids = new long[batch];
        Arrays.setAll(ids, i -> i);
        return new RoutingContext(step, ids, null);
    }

    public int batch() {
        return sampleIds.length;
    }

    @Override
    public long[] sampleIds() {
        return sampleIds.clone();
    }

    @Override
    public int[] trueClusters() {
        return trueClusters == null ? null : trueClusters.clone();
    }

    long sampleId(int row) {
        return sampleIds[row];
    }

    int trueCluster(int row) {
        return trueClusters[row];
    }

    boolean hasTrueClusters() {
        return trueClusters != null;
    }
}
