package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebDatasetDatasetTest {
    @TempDir
    Path tmp;

    static void writeTar(Path file, Map<String, byte[]> members) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            for (var m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Two shards: 3 good samples, then a corrupt image, a sample without caption and 1 good one. */
    private void writeShards() throws IOException {
        Map<String, byte[]> a = new LinkedHashMap<>();
        a.put("s/000.png", ImageFolderDatasetTest.png(40, 40, "png"));
        a.put("s/000.txt", utf8("first caption"));
        a.put("s/000.json", utf8("{\"aesthetic\": 6.5, \"url\": \"http://x\", \"nested\": {\"a\": 1}}"));
        a.put("s/001.txt", utf8("second caption")); // caption before image: order inside a key is free
        a.put("s/001.jpg", ImageFolderDatasetTest.png(50, 30, "jpg"));
        a.put("s/002.png", ImageFolderDatasetTest.png(16, 16, "png"));
        a.put("s/002.txt", utf8("third caption"));
        writeTar(tmp.resolve("00000.tar"), a);
        Map<String, byte[]> b = new LinkedHashMap<>();
        b.put("s/100.png", utf8("definitely not a png"));
        b.put("s/100.txt", utf8("corrupt image"));
        b.put("s/101.png", ImageFolderDatasetTest.png(16, 16, "png"));
        b.put("s/102.png", ImageFolderDatasetTest.png(16, 16, "png"));
        b.put("s/102.txt", utf8("last good one"));
        writeTar(tmp.resolve("00001.tar"), b);
    }

    @Test
    void bracePatternStreamsBothShardsAndSkipsCountedDamage() throws IOException {
        writeShards();
        SkipStats stats = new SkipStats();
        WebDatasetDataset d = new WebDatasetDataset(tmp + "/{00000..00001}.tar", new ImageSpec(3, 16, 16), 0,
                ErrorPolicy.SKIP, stats);
        assertTrue(d.size().isEmpty());
        assertEquals(2, d.shards().size());
        List<Sample> all;
        try (Stream<Sample> s = d.stream()) {
            all = s.toList();
        }
        assertEquals(List.of("s/000", "s/001", "s/002", "s/102"), all.stream().map(Sample::id).toList());
        assertEquals(List.of("first caption", "second caption", "third caption", "last good one"),
                all.stream().map(Sample::caption).toList());
        assertEquals("6.5", all.get(0).attributes().get("aesthetic"));
        assertEquals(2, all.get(0).attributes().size(), "nested json objects are not attributes");
        assertEquals(16, all.get(1).image().width());
        assertEquals(2, stats.skipped());
        assertTrue(stats.examples().get(0).contains("00001.tar") && stats.examples().get(0).contains("s/100"));
        assertTrue(stats.examples().get(1).contains("s/101") && stats.examples().get(1).contains("caption"));
    }

    @Test
    void failPolicyNamesShardAndKeyButStreamsLazily() throws IOException {
        writeShards();
        WebDatasetDataset d = new WebDatasetDataset(tmp + "/*.tar", new ImageSpec(3, 16, 16));
        // The damage is in the second shard: taking the first three samples never reaches it.
        try (Stream<Sample> s = d.stream()) {
            assertEquals(3, s.limit(3).count());
        }
        CorruptSampleException e = assertThrows(CorruptSampleException.class, () -> {
            try (Stream<Sample> s = d.stream()) {
                s.forEach(x -> { });
            }
        });
        assertTrue(e.getMessage().contains("00001.tar") && e.getMessage().contains("s/100"), e.getMessage());
    }

    @Test
    void truncatedShardIsSkippedAndTheNextShardStillRead() throws IOException {
        writeShards();
        byte[] whole = Files.readAllBytes(tmp.resolve("00000.tar"));
        // Cut inside the second member's data.
        Files.write(tmp.resolve("00000.tar"), java.util.Arrays.copyOf(whole, 512 * 3 + 100));
        SkipStats stats = new SkipStats();
        WebDatasetDataset d = new WebDatasetDataset(tmp + "/0000{0,1}.tar", new ImageSpec(3, 16, 16), 0,
                ErrorPolicy.SKIP, stats);
        List<String> ids;
        try (Stream<Sample> s = d.stream()) {
            ids = s.map(Sample::id).toList();
        }
        assertEquals("s/102", ids.get(ids.size() - 1), "second shard read after the truncated one: " + ids);
        assertTrue(stats.examples().stream().anyMatch(m -> m.contains("00000.tar") && m.contains("s/000")), stats.examples().toString());
    }

    @Test
    void patternsExpandAndMissingShardsAreNamed() throws IOException {
        assertEquals(List.of("d/00008.tar", "d/00009.tar", "d/00010.tar"), ShardPattern.expandBraces("d/{00008..00010}.tar"));
        assertEquals(List.of("a-x", "a-y", "b-x", "b-y"), ShardPattern.expandBraces("{a,b}-{x,y}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardPattern.resolve(tmp + "/{00000..00001}.tar"));
        assertTrue(e.getMessage().contains("00000.tar"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardPattern.resolve(tmp + "/*.tar"));
        writeShards();
        assertEquals(2, ShardPattern.resolve(tmp + "/*.tar").size());
    }

    @Test
    void gzippedShardsAreReadToo() throws IOException {
        writeShards();
        Path tgz = tmp.resolve("z.tar.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tgz))) {
            Files.copy(tmp.resolve("00000.tar"), out);
        }
        try (Stream<Sample> s = new WebDatasetDataset(tgz.toString(), new ImageSpec(3, 16, 16)).stream()) {
            assertEquals(List.of("s/000", "s/001", "s/002"), s.map(Sample::id).toList());
        }
    }
}
