package org.parisjava.features;

import java.util.List;
import org.parisjava.data.ImageU8;

/**
 * Turns a batch of images into one feature vector each: (B images) -> (B, D). Extractors are
 * deterministic, so a second pass over a dataset gives the same features (the clustering pipeline
 * relies on it when it streams the data twice).
 */
public interface FeatureExtractor extends AutoCloseable {

    /** Features of a batch: {@code result[b]} has {@link #dimension()} values. */
    float[][] extract(List<ImageU8> batch); // (B, D)

    /** D, the length of each feature vector. */
    int dimension();

    /** Short description recorded in the clustering config, e.g. {@code pca-50} or {@code model:dinov2.pt}. */
    String name();

    /** Releases native resources (a DJL model); a no-op for pure-Java extractors. */
    @Override
    default void close() {
    }
}
