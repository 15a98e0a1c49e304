package org.parisjava.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.parisjava.io.AtomicFiles;
import org.parisjava.io.Json;

/**
 * Writes the small sample datasets the project ships in {@code datasets/samples/} (and that a user
 * can make anywhere to try the folder and WebDataset routes): shapes images, their captions and
 * attributes, in the two layouts people bring their own data in.
 *
 * <ul>
 *   <li>{@link #writeImageFolder}: {@code img000.png ...} with {@code captions.tsv}
 *       ({@code filename<TAB>caption}), as {@link ImageFolderDataset} reads;</li>
 *   <li>{@link #writeWebDatasetShard}: one tar whose members are grouped by key
 *       ({@code 000000.png}, {@code 000000.txt}, {@code 000000.json} with the attributes), as
 *       img2dataset writes and {@link WebDatasetDataset} reads. Tar headers carry a fixed time, owner
 *       and mode, so the same seed writes the same bytes.</li>
 * </ul>
 */
public final class DatasetSamples {
    private DatasetSamples() {
    }

    /** The first {@code count} shapes samples of {@code seed} at {@code size} pixels. */
    public static List<Sample> shapes(int count, int size, long seed) {
        try (Stream<Sample> s = new ShapesDataset(count, size, 3, seed).stream()) {
            return s.toList();
        }
    }

    /**
     * Writes {@code samples} as an image folder: PNGs named {@code img000.png...} and
     * {@code captions.tsv}. Existing files of those names are replaced.
     */
    public static void writeImageFolder(Path dir, List<Sample> samples) {
        try {
            Files.createDirectories(dir);
            StringBuilder tsv = new StringBuilder("# filename<TAB>caption, made by DatasetSamples.writeImageFolder\n");
            for (int i = 0; i < samples.size(); i++) {
                String name = String.format("img%03d.png", i);
                byte[] png = png(samples.get(i).image());
                AtomicFiles.write(dir.resolve(name), out -> out.write(png));
                tsv.append(name).append('\t').append(samples.get(i).caption()).append('\n');
            }
            AtomicFiles.writeString(dir.resolve(ImageFolderDataset.CAPTIONS_FILE), tsv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the image folder " + dir, e);
        }
    }

    /**
     * Writes {@code samples} as one WebDataset shard: per sample, key {@code %06d}, members
     * {@code .png}, {@code .txt} (the caption) and {@code .json} (the attributes).
     */
    public static void writeWebDatasetShard(Path tar, List<Sample> samples) {
        AtomicFiles.write(tar, raw -> {
            // not closed: closing would close the atomic writer's channel before it is synced
            TarArchiveOutputStream out = new TarArchiveOutputStream(raw);
            {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < samples.size(); i++) {
                    Sample s = samples.get(i);
                    String key = String.format("%06d", i);
                    member(out, key + ".png", png(s.image()));
                    member(out, key + ".txt", s.caption().getBytes(StandardCharsets.UTF_8));
                    Map<String, String> attrs = new TreeMap<>(s.attributes());
                    member(out, key + ".json", Json.gson().toJson(attrs).getBytes(StandardCharsets.UTF_8));
                }
                out.finish();
                out.flush();
            }
        });
    }

    private static void member(TarArchiveOutputStream out, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setModTime(0L);
        e.setMode(0100644);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static byte[] png(ImageU8 image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image.toBufferedImage(), "png", bytes)) {
            throw new IOException("No PNG writer in this JDK");
        }
        return bytes.toByteArray();
    }
}
