package org.parisjava.data;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * WebDataset .tar shards (the format LAION-scale data ships in) as a dataset: the shard pattern is
 * resolved once (see {@link ShardPattern}), and every {@link #stream()} reads the shards in order
 * through a fresh {@link WebDatasetReader}, one sample in memory at a time. The size is unknown
 * until the shards are read.
 */
public final class WebDatasetDataset implements ImageCaptionDataset {
    private final String pattern;
    private final List<Path> shards;
    private final ImageSpec spec;
    private final int limit;
    private final ErrorPolicy policy;
    private final SkipStats skipStats;
    private final InputLimits inputLimits;

    public WebDatasetDataset(String pattern, ImageSpec spec) {
        this(pattern, spec, 0, ErrorPolicy.FAIL, new SkipStats());
    }

    public WebDatasetDataset(String pattern, ImageSpec spec, int limit, ErrorPolicy policy, SkipStats skipStats) {
        this(pattern, spec, limit, policy, skipStats, InputLimits.defaults());
    }

    public WebDatasetDataset(String pattern, ImageSpec spec, int limit, ErrorPolicy policy, SkipStats skipStats,
                             InputLimits inputLimits) {
        if (limit < 0) {
            throw new IllegalArgumentException("Invalid limit: " + limit);
        }
        this.pattern = pattern;
        this.shards = ShardPattern.resolve(pattern);
        this.spec = spec;
        this.limit = limit;
        this.policy = policy;
        this.skipStats = skipStats;
        this.inputLimits = inputLimits;
    }

    /** The shard files, in reading order. */
    public List<Path> shards() {
        return shards;
    }

    @Override
    public String name() {
        return "webdataset:" + pattern;
    }

    @Override
    public ImageSpec spec() {
        return spec;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    /** WebDataset samples carry only what their optional .json holds, which varies by source. */
    @Override
    public List<String> attributeNames() {
        return List.of();
    }

    @Override
    public Stream<Sample> stream() {
        WebDatasetReader reader = new WebDatasetReader(shards, spec, policy, skipStats, inputLimits);
        Stream<Sample> s = StreamSupport.stream(Spliterators.spliteratorUnknownSize(reader,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(reader::close);
        return limit == 0 ? s : s.limit(limit);
    }
}
