package org.parisjava.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Fashion-MNIST (Zalando, MIT licence) read from its gzipped IDX files: 60,000 training and 10,000
 * test images of 28x28 grey clothing, ten classes, captioned "a photo of a sneaker". Debian's
 * {@code dataset-fashion-mnist} package installs the files in
 * {@link DatasetOptions#DEFAULT_FASHION_MNIST_DIR}.
 *
 * <p>The first {@link #stream()} decodes the files whole into memory and every stream reads that copy
 * (see {@link #stream()}). Both headers are checked when the dataset is
 * constructed, so a wrong folder fails at once, naming the file.
 */
public final class FashionMnistDataset implements ImageCaptionDataset {
    public static final int NATIVE_SIZE = 28;
    /** Zalando's class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The {@code label} attribute values, indexed by label: lower case, as they read in a caption. */
    public static final List<String> LABELS = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");
    private static final List<String> CAPTION_NOUNS = List.of("a t-shirt", "a pair of trousers", "a pullover",
            "a dress", "a coat", "a sandal", "a shirt", "a sneaker", "a bag", "an ankle boot");

    /** Which half of the data: the files' prefix is {@code train} or {@code t10k}. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private final Path imagesFile;
    private final Path labelsFile;
    private final Split split;
    private final int size;
    private final ImageSpec spec;
    private final ErrorPolicy policy;
    private final SkipStats skipStats;
    /** All items, decoded by the first stream; null when that met a fault ({@link #decoded()}). */
    private Decoded decoded;
    private boolean decodeTried;

    /** The native 28x28 grey images, all of them, failing on corrupt data. */
    public FashionMnistDataset(Path dir, Split split) {
        this(dir, split, 0, NATIVE_SIZE, 1, ErrorPolicy.FAIL, new SkipStats());
    }

    /**
     * @param limit     the most samples, 0 = all
     * @param imageSize side of the output images (28 keeps them as they are)
     * @param channels  1, or 3 to replicate the grey into RGB
     */
    public FashionMnistDataset(Path dir, Split split, int limit, int imageSize, int channels,
                               ErrorPolicy policy, SkipStats skipStats) {
        if (limit < 0) {
            throw new IllegalArgumentException("Invalid limit: " + limit);
        }
        this.split = split;
        this.imagesFile = locate(dir, split.prefix() + "-images-idx3-ubyte");
        this.labelsFile = locate(dir, split.prefix() + "-labels-idx1-ubyte");
        this.spec = new ImageSpec(channels, imageSize, imageSize);
        if (!spec.isPixels()) {
            throw new IllegalArgumentException("Invalid number of channels: " + channels + " (expected 1 or 3)");
        }
        this.policy = policy;
        this.skipStats = skipStats;
        int count;
        try (IdxReader images = IdxReader.open(imagesFile, 3); IdxReader labels = IdxReader.open(labelsFile, 1)) {
            if (!Arrays.equals(images.itemDims(), new int[]{NATIVE_SIZE, NATIVE_SIZE})) {
                throw new CorruptSampleException(imagesFile.toString(), "header", "images are "
                        + Arrays.toString(images.itemDims()) + ", expected [28, 28]", null);
            }
            if (images.count() != labels.count()) {
                throw new CorruptSampleException(labelsFile.toString(), "header", labels.count()
                        + " labels for " + images.count() + " images in " + imagesFile, null);
            }
            count = images.count();
        }
        this.size = limit == 0 ? count : Math.min(limit, count);
    }

    private static Path locate(Path dir, String base) {
        for (String name : new String[]{base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Fashion-MNIST file not found: " + dir.resolve(base + ".gz")
                + ". Install it with `apt-get install dataset-fashion-mnist` (Debian puts it in "
                + DatasetOptions.DEFAULT_FASHION_MNIST_DIR + "), or pass the folder holding "
                + base + ".gz (--fashion-mnist-dir on the command line, DatasetOptions.withFashionMnistDir in code)");
    }

    /** "a photo of a sneaker" for label 7. */
    public static String caption(int label) {
        return "a photo of " + CAPTION_NOUNS.get(label);
    }

    public Split split() {
        return split;
    }

    @Override
    public String name() {
        return "fashion-mnist:" + split.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public ImageSpec spec() {
        return spec;
    }

    /** Samples announced by the headers (after the limit); fewer come out if some are skipped. */
    @Override
    public OptionalLong size() {
        return OptionalLong.of(size);
    }

    @Override
    public List<String> attributeNames() {
        return List.of("label");
    }

    /**
     * The samples in file order. The first stream decodes all {@code size} items into memory (47 MB for
     * the 60,000 training images), and every stream reads them from there: the clustering's three passes
     * inflate the gzip files once instead of three times. If decoding meets a fault, every stream reads
     * the files instead, and reports it under the dataset's error policy.
     */
    @Override
    public Stream<Sample> stream() {
        Decoded all = decoded();
        return all != null ? fromMemory(all) : fromFiles();
    }

    /** All items, decoded on the first call; null (and the files read by every stream) when they hold a fault. */
    private synchronized Decoded decoded() {
        if (!decodeTried) {
            decodeTried = true;
            decoded = decodeAll();
        }
        return decoded;
    }

    private Decoded decodeAll() {
        int itemBytes = NATIVE_SIZE * NATIVE_SIZE;
        try (IdxReader images = IdxReader.open(imagesFile, 3); IdxReader labels = IdxReader.open(labelsFile, 1)) {
            byte[] pixels = new byte[size * itemBytes];
            byte[] ys = new byte[size];
            byte[] item = new byte[itemBytes];
            byte[] label = new byte[1];
            for (int i = 0; i < size; i++) {
                images.next(item);
                labels.next(label);
                if ((label[0] & 0xFF) >= LABELS.size()) {
                    return null; // the file streams name it
                }
                System.arraycopy(item, 0, pixels, i * itemBytes, itemBytes);
                ys[i] = label[0];
            }
            return new Decoded(pixels, ys);
        } catch (RuntimeException | OutOfMemoryError e) {
            // the file streams report a fault under the error policy, and need little memory
            return null;
        }
    }

    private Stream<Sample> fromFiles() {
        IdxReader images = IdxReader.open(imagesFile, 3);
        IdxReader labels;
        try {
            labels = IdxReader.open(labelsFile, 1);
        } catch (RuntimeException e) {
            images.close();
            throw e;
        }
        Spliterator<Sample> it = new Spliterators.AbstractSpliterator<>(size, Spliterator.ORDERED | Spliterator.NONNULL) {
            private int index;
            private final byte[] pixels = new byte[NATIVE_SIZE * NATIVE_SIZE];
            private final byte[] label = new byte[1];

            @Override
            public boolean tryAdvance(Consumer<? super Sample> action) {
                while (index < size) {
                    int i = index++;
                    try {
                        action.accept(read(i));
                        return true;
                    } catch (CorruptSampleException e) {
                        policy.handle(e, skipStats);
                        if (e.sampleId().startsWith("item ")) {
                            // The file itself ended or failed: nothing after this item can be read.
                            index = size;
                        }
                    }
                }
                return false;
            }

            private Sample read(int i) {
                images.next(pixels);
                labels.next(label);
                return sample(i, label[0] & 0xFF, pixels.clone());
            }
        };
        return StreamSupport.stream(it, false).onClose(() -> {
            try {
                images.close();
            } finally {
                labels.close();
            }
        });
    }

    /** A stream over the decoded items. */
    private Stream<Sample> fromMemory(Decoded d) {
        int itemBytes = NATIVE_SIZE * NATIVE_SIZE;
        Spliterator<Sample> it = new Spliterators.AbstractSpliterator<>(size, Spliterator.ORDERED | Spliterator.NONNULL) {
            private int index;

            @Override
            public boolean tryAdvance(Consumer<? super Sample> action) {
                if (index >= size) {
                    return false;
                }
                int i = index++;
                action.accept(sample(i, d.labels[i] & 0xFF,
                        Arrays.copyOfRange(d.pixels, i * itemBytes, (i + 1) * itemBytes)));
                return true;
            }
        };
        return StreamSupport.stream(it, false);
    }

    private Sample sample(int i, int y, byte[] pixels) {
        if (y >= LABELS.size()) {
            throw new CorruptSampleException(labelsFile.toString(), "sample " + i,
                    "label " + y + " is not a Fashion-MNIST class (0-9)", null);
        }
        ImageU8 img = SquareResize.apply(new ImageU8(1, NATIVE_SIZE, NATIVE_SIZE, pixels), spec);
        return new Sample(name() + "/" + i, img, caption(y), Map.of("label", LABELS.get(y)));
    }

    /** The first {@code size} items of both files, decoded. */
    private record Decoded(byte[] pixels, byte[] labels) {
    }
}
