package org.parisjava.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A folder of images with captions, for bringing one's own data. Captions come from
 * {@value #CAPTIONS_FILE} ({@code filename<TAB>caption} per line, in dataset order; blank lines and
 * lines starting with {@code #} are ignored) or, when the folder has none, from a sidecar
 * {@code NAME.txt} next to each {@code NAME.png}/{@code NAME.jpg} (images sorted by file name; an
 * image without a sidecar gets the empty caption). Both are read as UTF-8 the way editors save it
 * (see {@link CaptionText}): a leading byte-order mark is ignored, CRLF line ends are fine, and bytes
 * that are not UTF-8 are an error naming the file and the line.
 *
 * <p>Images are centre-cropped to a square and resized to the spec (see {@link SquareResize}).
 * Only the index of file names is held in memory; pixels are read as the stream goes.
 */
public final class ImageFolderDataset implements ImageCaptionDataset {
    public static final String CAPTIONS_FILE = "captions.tsv";
    public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    /** An image and its caption, or (sidecar layout) the sidecar to read it from when streaming. */
    private record Entry(Path file, String caption, Path sidecar) {
    }

    private final Path dir;
    private final ImageSpec spec;
    private final int limit;
    private final ErrorPolicy policy;
    private final SkipStats skipStats;
    private final InputLimits inputLimits;
    private final List<Entry> entries;

    public ImageFolderDataset(Path dir, ImageSpec spec) {
        this(dir, spec, 0, ErrorPolicy.FAIL, new SkipStats());
    }

    public ImageFolderDataset(Path dir, ImageSpec spec, int limit, ErrorPolicy policy, SkipStats skipStats) {
        this(dir, spec, limit, policy, skipStats, InputLimits.defaults());
    }

    /**
     * @throws IllegalArgumentException for a missing folder, a folder without images, or a
     *                                  {@value #CAPTIONS_FILE} line that is malformed or not UTF-8
     *                                  (naming the file and the line)
     */
    public ImageFolderDataset(Path dir, ImageSpec spec, int limit, ErrorPolicy policy, SkipStats skipStats,
                              InputLimits inputLimits) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Image folder not found: " + dir);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("Invalid limit: " + limit);
        }
        this.dir = dir;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.limit = limit;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.skipStats = Objects.requireNonNull(skipStats, "skipStats");
        this.inputLimits = Objects.requireNonNull(inputLimits, "inputLimits");
        Path tsv = dir.resolve(CAPTIONS_FILE);
        this.entries = Files.isRegularFile(tsv) ? readCaptions(tsv) : scanSidecars(dir);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("No images in " + dir + " (expected " + CAPTIONS_FILE
                    + " or image files with extensions " + IMAGE_EXTENSIONS + ")");
        }
    }

    private List<Entry> readCaptions(Path tsv) {
        List<String> lines;
        try {
            lines = CaptionText.lines(Files.readAllBytes(tsv), tsv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tsv + ": " + e.getMessage(), e);
        } catch (CaptionText.NotUtf8Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                throw new IllegalArgumentException(tsv + " line " + (i + 1)
                        + ": expected 'filename<TAB>caption', got '" + line + "'");
            }
            out.add(new Entry(dir.resolve(line.substring(0, tab).strip()), line.substring(tab + 1).strip(), null));
        }
        return out;
    }

    private static List<Entry> scanSidecars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> IMAGE_EXTENSIONS.contains(extension(p)))
                    .sorted()
                    .map(p -> new Entry(p, null, sidecar(p)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Path sidecar(Path image) {
        String n = image.getFileName().toString();
        return image.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ".txt");
    }

    /** The entry's caption: from the captions file, or its sidecar (empty when there is none). */
    private static String caption(Entry e, String id) {
        if (e.sidecar() == null) {
            return e.caption();
        }
        if (!Files.isRegularFile(e.sidecar())) {
            return "";
        }
        try {
            return CaptionText.caption(Files.readAllBytes(e.sidecar()), e.sidecar().toString());
        } catch (IOException io) {
            throw new CorruptSampleException(e.sidecar().toString(), id, "cannot read caption file: " + io, io);
        } catch (CaptionText.NotUtf8Exception bad) {
            throw new CorruptSampleException(e.sidecar().toString(), id, bad.getMessage(), bad);
        }
    }

    @Override
    public String name() {
        return "folder:" + dir.getFileName();
    }

    @Override
    public ImageSpec spec() {
        return spec;
    }

    /** Images listed (after the limit); fewer come out if some are skipped. */
    @Override
    public OptionalLong size() {
        return OptionalLong.of(limit == 0 ? entries.size() : Math.min(limit, entries.size()));
    }

    @Override
    public List<String> attributeNames() {
        return List.of();
    }

    @Override
    public Stream<Sample> stream() {
        Stream<Sample> s = entries.stream().map(this::readOrSkip).filter(Objects::nonNull);
        return limit == 0 ? s : s.limit(limit);
    }

    private Sample readOrSkip(Entry e) {
        String id = dir.relativize(e.file()).toString();
        try {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(e.file());
            } catch (IOException io) {
                throw new CorruptSampleException(e.file().toString(), id, "cannot read file: " + io, io);
            }
            String caption = caption(e, id);
            return new Sample(id, ImageDecoder.decode(bytes, spec, inputLimits, e.file().toString(), id), caption, null);
        } catch (CorruptSampleException problem) {
            policy.handle(problem, skipStats);
            return null;
        }
    }
}
