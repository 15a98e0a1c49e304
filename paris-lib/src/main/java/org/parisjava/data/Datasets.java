package org.parisjava.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens a dataset from the short spec the CLI's {@code --dataset} option takes:
 *
 * <ul>
 *   <li>{@code shapes} or {@code shapes:N} - the generated default ({@code N} samples; otherwise
 *       {@code limit}, or {@link ShapesDataset#DEFAULT_COUNT});</li>
 *   <li>{@code fashion-mnist} (the training split), {@code fashion-mnist:train},
 *       {@code fashion-mnist:test};</li>
 *   <li>{@code folder:PATH} - a folder of images with {@code captions.tsv} or sidecar .txt files;</li>
 *   <li>{@code webdataset:GLOB} - .tar shards, e.g. {@code webdataset:data/{00000..00009}.tar};</li>
 *   <li>{@code NAME} - a dataset of the project's catalogue ({@link DatasetCatalog}, the top-level
 *       {@code datasets/} folder), opened where it is on this machine; when it is not, the error
 *       says where it looked and how to obtain it.</li>
 * </ul>
 */
public final class Datasets {
    /** The spec forms {@link #open} understands, for help texts and error messages. */
    public static final List<String> KNOWN_FORMS = List.of("shapes", "shapes:N", "fashion-mnist",
            "fashion-mnist:train", "fashion-mnist:test", "folder:PATH", "webdataset:GLOB", "NAME (catalogue)");

    /** Natural size of folder and WebDataset images when the options do not say. */
    public static final int DEFAULT_WEB_IMAGE_SIZE = 32;

    private Datasets() {
    }

    public static ImageCaptionDataset open(String spec) {
        return open(spec, DatasetOptions.defaults());
    }

    public static ImageCaptionDataset open(String spec, DatasetOptions options) {
        if (spec == null || spec.isBlank()) {
            throw unknown(String.valueOf(spec));
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        return switch (kind) {
            case "shapes" -> {
                int count = arg != null ? parseCount(spec, arg)
                        : options.limit() > 0 ? options.limit() : ShapesDataset.DEFAULT_COUNT;
                if (arg != null && options.limit() > 0) {
                    count = Math.min(count, options.limit());
                }
                yield new ShapesDataset(count, options.imageSizeOr(ShapesDataset.MIN_IMAGE_SIZE),
                        options.channelsOr(3), options.seed());
            }
            case "fashion-mnist" -> {
                FashionMnistDataset.Split split = arg == null ? FashionMnistDataset.Split.TRAIN
                        : switch (arg) {
                            case "train" -> FashionMnistDataset.Split.TRAIN;
                            case "test" -> FashionMnistDataset.Split.TEST;
                            default -> throw unknown(spec);
                        };
                yield new FashionMnistDataset(fashionMnistDir(options), split, options.limit(),
                        options.imageSizeOr(FashionMnistDataset.NATIVE_SIZE), options.channelsOr(1),
                        options.errorPolicy(), options.skipStats());
            }
            case "folder" -> {
                requireArg(spec, arg);
                yield new ImageFolderDataset(Path.of(arg), new ImageSpec(options.channelsOr(3),
                        options.imageSizeOr(DEFAULT_WEB_IMAGE_SIZE), options.imageSizeOr(DEFAULT_WEB_IMAGE_SIZE)),
                        options.limit(), options.errorPolicy(), options.skipStats(), options.inputLimits());
            }
            case "webdataset" -> {
                requireArg(spec, arg);
                yield new WebDatasetDataset(arg, new ImageSpec(options.channelsOr(3),
                        options.imageSizeOr(DEFAULT_WEB_IMAGE_SIZE), options.imageSizeOr(DEFAULT_WEB_IMAGE_SIZE)),
                        options.limit(), options.errorPolicy(), options.skipStats(), options.inputLimits());
            }
            default -> {
                if (arg == null) {
                    Optional<DatasetCatalog> catalog = catalog();
                    if (catalog.isPresent() && catalog.get().find(kind).isPresent()) {
                        String resolved = catalog.get().datasetSpec(kind);
                        if (resolved.indexOf(':') < 0 && !BUILT_IN.contains(resolved)) {
                            throw new IllegalArgumentException("Catalogue entry '" + kind + "' resolves to '" + resolved
                                    + "', which is not a dataset spec (" + catalog.get().folder() + ")");
                        }
                        yield open(resolved, options);
                    }
                }
                throw unknown(spec);
            }
        };
    }

    private static final List<String> BUILT_IN = List.of("shapes", "fashion-mnist");

    /**
     * The Fashion-MNIST folder: the options' own, or, when that is Debian's default and holds no
     * files, the catalogue's location for {@code fashion-mnist} (under {@code PARIS_DATA}); the
     * error for missing files says how to obtain them.
     */
    private static Path fashionMnistDir(DatasetOptions options) {
        Path dir = options.fashionMnistDir();
        if (!dir.equals(DatasetOptions.DEFAULT_FASHION_MNIST_DIR) || Files.isDirectory(dir)) {
            return dir;
        }
        Optional<DatasetCatalog> catalog = catalog();
        if (catalog.isEmpty() || catalog.get().find("fashion-mnist").isEmpty()) {
            return dir;
        }
        CatalogEntry e = catalog.get().find("fashion-mnist").get();
        DatasetCatalog.Presence p = catalog.get().locate(e);
        if (p.status() == DatasetCatalog.Status.PRESENT) {
            return p.dir();
        }
        throw catalog.get().notHere(e, p);
    }

    private static Optional<DatasetCatalog> catalog() {
        try {
            return Optional.of(DatasetCatalog.standard());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static int parseCount(String spec, String arg) {
        try {
            int n = Integer.parseInt(arg);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("Invalid dataset spec '" + spec + "': N in shapes:N must be a positive integer");
    }

    private static void requireArg(String spec, String arg) {
        if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("Invalid dataset spec '" + spec + "': a path or pattern must follow the colon"
                    + " (known forms: " + String.join(", ", KNOWN_FORMS) + ")");
        }
    }

    private static IllegalArgumentException unknown(String spec) {
        String names = catalog().map(c -> "; catalogue names: " + String.join(", ",
                c.entries().stream().filter(e -> e.kind() == CatalogEntry.Kind.DATASET).map(CatalogEntry::name).toList()))
                .orElse("");
        return new IllegalArgumentException("Unknown dataset spec '" + spec + "' (known forms: "
                + String.join(", ", KNOWN_FORMS) + names + ")");
    }
}
