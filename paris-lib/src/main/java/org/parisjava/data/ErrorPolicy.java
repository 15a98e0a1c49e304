package org.parisjava.data;

/**
 * What a file-backed dataset does with a sample it cannot read (a truncated PNG, a tar member
 * without a caption, an IDX file that ends early).
 */
public enum ErrorPolicy {
    /** Stop with a {@link CorruptSampleException} that names the file and the sample (default). */
    FAIL,
    /** Leave the sample out, log the reason at warn, and count it in {@link SkipStats}. */
    SKIP;

    /**
     * Applies the policy to one unreadable sample: rethrows under {@link #FAIL}, records it in
     * {@code stats} under {@link #SKIP}.
     */
    public void handle(CorruptSampleException problem, SkipStats stats) {
        if (this == FAIL) {
            throw problem;
        }
        stats.record(problem);
    }
}
