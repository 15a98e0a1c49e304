package org.parisjava.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Datasets#open(String, DatasetOptions)} loads a dataset. Start from
 * {@link #defaults()} and change fields with the {@code withX} methods.
 *
 * @param imageSize       side of the square images, in pixels; 0 means the dataset's natural size
 *                        (shapes 16, Fashion-MNIST 28, folders and WebDatasets 32)
 * @param channels        1 (grey) or 3 (RGB); 0 means the dataset's natural channels (3, or 1 for
 *                        Fashion-MNIST)
 * @param limit           the most samples to yield, 0 = all (for shapes, 0 means
 *                        {@link ShapesDataset#DEFAULT_COUNT})
 * @param seed            seed of generated data (shapes); recorded by callers with their outputs
 * @param errorPolicy     fail on, or skip and count, unreadable samples
 * @param fashionMnistDir folder holding the Fashion-MNIST IDX .gz files
 * @param skipStats       where skipped samples are counted under {@link ErrorPolicy#SKIP}
 * @param inputLimits     the largest image (pixels) and WebDataset member (bytes) a sample may have
 */
public record DatasetOptions(int imageSize, int channels, int limit, long seed, ErrorPolicy errorPolicy,
                             Path fashionMnistDir, SkipStats skipStats, InputLimits inputLimits) {

    /** Debian's {@code dataset-fashion-mnist} package installs the files here. */
    public static final Path DEFAULT_FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public DatasetOptions {
        if (imageSize < 0) {
            throw new IllegalArgumentException("Invalid image size: " + imageSize + " (expected > 0, or 0 for the dataset's own)");
        }
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Invalid number of channels: " + channels + " (expected 1, 3, or 0 for the dataset's own)");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("Invalid limit: " + limit + " (expected >= 0; 0 = all samples)");
        }
        errorPolicy = errorPolicy == null ? ErrorPolicy.FAIL : errorPolicy;
        fashionMnistDir = fashionMnistDir == null ? DEFAULT_FASHION_MNIST_DIR : fashionMnistDir;
        skipStats = skipStats == null ? new SkipStats() : skipStats;
        inputLimits = inputLimits == null ? InputLimits.defaults() : inputLimits;
    }

    /** Natural size and channels, all samples, seed 0, fail on corrupt samples. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(0, 0, 0, 0L, ErrorPolicy.FAIL, DEFAULT_FASHION_MNIST_DIR, new SkipStats(),
                InputLimits.defaults());
    }

    public DatasetOptions withImageSize(int size) {
        return new DatasetOptions(size, channels, limit, seed, errorPolicy, fashionMnistDir, skipStats, inputLimits);
    }

    public DatasetOptions withChannels(int c) {
        return new DatasetOptions(imageSize, c, limit, seed, errorPolicy, fashionMnistDir, skipStats, inputLimits);
    }

    public DatasetOptions withLimit(int n) {
        return new DatasetOptions(imageSize, channels, n, seed, errorPolicy, fashionMnistDir, skipStats, inputLimits);
    }

    public DatasetOptions withSeed(long s) {
        return new DatasetOptions(imageSize, channels, limit, s, errorPolicy, fashionMnistDir, skipStats, inputLimits);
    }

    public DatasetOptions withErrorPolicy(ErrorPolicy p) {
        return new DatasetOptions(imageSize, channels, limit, seed, p, fashionMnistDir, skipStats, inputLimits);
    }

    public DatasetOptions withFashionMnistDir(Path dir) {
        return new DatasetOptions(imageSize, channels, limit, seed, errorPolicy, dir, skipStats, inputLimits);
    }

    public DatasetOptions withSkipStats(SkipStats stats) {
        return new DatasetOptions(imageSize, channels, limit, seed, errorPolicy, fashionMnistDir, stats, inputLimits);
    }

    public DatasetOptions withInputLimits(InputLimits limits) {
        return new DatasetOptions(imageSize, channels, limit, seed, errorPolicy, fashionMnistDir, skipStats, limits);
    }

    /** {@link #imageSize()} or, when 0, the given natural size. */
    public int imageSizeOr(int natural) {
        return imageSize == 0 ? natural : imageSize;
    }

    /** {@link #channels()} or, when 0, the given natural channel count. */
    public int channelsOr(int natural) {
        return channels == 0 ? natural : channels;
    }

    @Override
    public boolean equals(Object o) {
        // SkipStats is a mutable counter: two option sets that ask for the same data are equal.
        return o instanceof DatasetOptions d && d.imageSize == imageSize && d.channels == channels
                && d.limit == limit && d.seed == seed && d.errorPolicy == errorPolicy
                && d.fashionMnistDir.equals(fashionMnistDir) && d.inputLimits.equals(inputLimits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageSize, channels, limit, seed, errorPolicy, fashionMnistDir, inputLimits);
    }
}
