package org.parisjava.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The samples of one WebDataset shard whose members break WebDataset's convention, found from the
 * tar headers alone before any sample is read. WebDataset reads a shard as a stream and takes
 * <em>consecutive</em> members with the same key as one sample, so:
 *
 * <ul>
 *   <li>a key whose members are not adjacent (an unsorted {@code tar} puts all images first, or
 *       captions were appended later) would come out as two incomplete samples;</li>
 *   <li>a member that appears twice (a shard appended to twice) leaves it unknown which copy is
 *       right.</li>
 * </ul>
 *
 * Each such sample is refused by key with the reason and the fix: re-create the shard with its
 * members sorted by name ({@code tar --sort=name}). A plain {@code .tar} is checked by seeking from
 * header to header; a gzipped one has to be decompressed once more for the check.
 */
final class ShardLayout {
    /** The shell command that writes a shard grouped by key, for error messages. */
    static final String FIX = "re-create the shard with its members sorted by name, e.g."
            + " 'tar --sort=name -cf SHARD.tar -C FOLDER .' (GNU tar), so that each key's members are adjacent";

    /** A tar member's WebDataset key and field; null for a name that is not a WebDataset member. */
    record Member(String key, String field) {
        /** The key is the path up to the first dot of the base name; the field is the rest, lower case. */
        static Member of(String path) {
            int slash = path.lastIndexOf('/');
            int dot = path.indexOf('.', slash + 1);
            if (dot <= slash + 1 || dot == path.length() - 1) {
                return null; // no key or no field (or a hidden file such as ._foo)
            }
            return new Member(path.substring(0, dot), path.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
    }

    private ShardLayout() {
    }

    /**
     * The samples of {@code shard} that break the convention, key to reason, in shard order; empty
     * for a well-formed shard.
     *
     * @throws IOException if the tar headers cannot be read (the caller reads on and reports the
     *                     damage where the stream meets it)
     */
    static Map<String, String> problems(Path shard) throws IOException {
        Checker c = new Checker();
        String n = shard.getFileName().toString();
        if (n.endsWith(".gz") || n.endsWith(".tgz")) {
            try (InputStream raw = Files.newInputStream(shard);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(
                         new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16), 1 << 16))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    c.accept(e);
                }
            }
        } else {
            try (TarFile tar = new TarFile(shard)) {
                for (TarArchiveEntry e : tar.getEntries()) {
                    c.accept(e);
                }
            }
        }
        return c.problems;
    }

    /** Walks the members in order, remembering the keys already finished. */
    private static final class Checker {
        final Map<String, String> problems = new LinkedHashMap<>();
        final Set<String> finished = new HashSet<>();
        final Map<String, Integer> fieldsOfCurrent = new HashMap<>();
        String current;
        int index;

        void accept(TarArchiveEntry e) {
            index++;
            if (!e.isFile()) {
                return;
            }
            Member m = Member.of(e.getName());
            if (m == null) {
                return;
            }
            if (!m.key().equals(current)) {
                if (current != null) {
                    finished.add(current);
                }
                current = m.key();
                fieldsOfCurrent.clear();
                if (finished.contains(m.key())) {
                    problems.putIfAbsent(m.key(), "the shard is not grouped by key: member " + e.getName()
                            + " (number " + index + " in the tar) comes after members of other keys, so sample "
                            + m.key() + " would be read as two incomplete samples; " + FIX);
                }
            }
            Integer before = fieldsOfCurrent.putIfAbsent(m.field(), index);
            if (before != null) {
                problems.putIfAbsent(m.key(), "member " + e.getName() + " appears twice (numbers " + before + " and "
                        + index + " in the tar), so it is unknown which copy belongs to the sample; " + FIX
                        + ", from the source files and without duplicates");
            }
        }
    }
}
