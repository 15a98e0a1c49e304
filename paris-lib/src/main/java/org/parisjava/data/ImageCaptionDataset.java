package org.parisjava.data;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A source of image-caption samples. Implementations stream: a WebDataset of millions of images
 * is never held in memory. Every sample a dataset yields has the dataset's {@link #spec()}.
 *
 * <p>Each call to {@link #stream()} starts again from the beginning and yields the same samples in
 * the same order (datasets are deterministic). Close the stream to release files.
 */
public interface ImageCaptionDataset {

    /** Short name used in manifests and logs, e.g. {@code shapes-16} or {@code fashion-mnist:train}. */
    String name();

    ImageSpec spec();

    /** The number of samples when known without reading them all. */
    OptionalLong size();

    /** Names of the evaluation attributes samples carry (e.g. shape, colour; or label). */
    List<String> attributeNames();

    Stream<Sample> stream();
}
