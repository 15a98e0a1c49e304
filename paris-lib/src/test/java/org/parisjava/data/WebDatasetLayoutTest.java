package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDataset shards as people make them: unsorted, appended to, with an oversized member. */
class WebDatasetLayoutTest {
    private static final ImageSpec SPEC = new ImageSpec(3, 16, 16);

    @TempDir
    Path tmp;

    private static List<Sample> read(WebDatasetDataset d) {
        try (Stream<Sample> s = d.stream()) {
            return s.toList();
        }
    }

    /** A tar whose members are written in the order given (names may repeat). */
    private static void writeTar(Path file, List<Map.Entry<String, byte[]>> members) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(java.nio.file.Files.newOutputStream(file))) {
            for (var m : members) {
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

    /** A PNG of random noise: about 3 bytes per pixel, since noise does not compress. */
    private static byte[] noisePng(int side, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** n good samples s/000.. in WebDataset order. */
    private static List<Map.Entry<String, byte[]>> goodSamples(int n) throws IOException {
        byte[] png = ImageFolderDatasetTest.png(16, 16, "png");
        List<Map.Entry<String, byte[]>> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.add(Map.entry(String.format("s/%03d.png", i), png));
            m.add(Map.entry(String.format("s/%03d.txt", i), utf8("caption " + i)));
        }
        return m;
    }

    @Test
    void unsortedShardIsRefusedAsNotGroupedByKeyWithTheFix() {
        Path a = TestCases.path("webdataset-nonadjacent/a.tar");
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> read(new WebDatasetDataset(a.toString(), SPEC)));
        assertEquals("000000", e.sampleId());
        assertTrue(e.getMessage().contains("not grouped by key") && e.getMessage().contains("000000.txt")
                && e.getMessage().contains("tar --sort=name"), e.getMessage());
        assertFalse(e.getMessage().contains("no .txt caption"), e.getMessage());

        SkipStats stats = new SkipStats();
        assertEquals(0, read(new WebDatasetDataset(a.toString(), SPEC, 0, ErrorPolicy.SKIP, stats)).size());
        assertEquals(64, stats.skipped(), "every sample of the shard is split, and each is lost once");
    }

    @Test
    void appendedCaptionsCountTheSamplesReallyLost() {
        Path b = TestCases.path("webdataset-nonadjacent/b.tar");
        assertThrows(CorruptSampleException.class, () -> read(new WebDatasetDataset(b.toString(), SPEC)));
        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new WebDatasetDataset(b.toString(), SPEC, 0, ErrorPolicy.SKIP, stats));
        assertEquals(56, kept.size());
        assertEquals(8, stats.skipped(), "8 samples lost: their images and their orphan captions are one sample each");
        for (int i = 0; i < 64; i += 8) {
            String key = String.format("%06d", i);
            assertTrue(kept.stream().noneMatch(s -> s.id().equals(key)), key);
        }
        assertTrue(stats.examples().stream().allMatch(m -> m.contains("not grouped by key")), stats.examples().toString());
        assertTrue(kept.stream().allMatch(s -> !s.caption().isEmpty()));
    }

    @Test
    void oversizedMemberRefusesItsSampleAloneAndTheRestIsRead() throws IOException {
        List<Map.Entry<String, byte[]>> m = goodSamples(9);
        byte[] big = noisePng(96, 7); // ~28 KB, over the 16 KB limit below
        assertTrue(big.length > 16_000);
        m.set(8, Map.entry("s/004.png", big)); // sample 4's image, in the middle of the shard
        Path shard = tmp.resolve("big.tar");
        writeTar(shard, m);
        InputLimits limits = InputLimits.defaults().withMaxMemberBytes(16_000);

        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> read(new WebDatasetDataset(shard.toString(), SPEC, 0, ErrorPolicy.FAIL, new SkipStats(), limits)));
        assertEquals("s/004", e.sampleId(), "the oversized sample is named, not its neighbour");
        assertTrue(e.getMessage().contains("s/004.png") && e.getMessage().contains("16,000"), e.getMessage());

        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new WebDatasetDataset(shard.toString(), SPEC, 0, ErrorPolicy.SKIP, stats, limits));
        assertEquals(List.of("s/000", "s/001", "s/002", "s/003", "s/005", "s/006", "s/007", "s/008"),
                kept.stream().map(Sample::id).toList());
        assertEquals("caption 5", kept.get(4).caption());
        assertEquals(1, stats.skipped());
        // under the default limit the same shard is whole
        assertEquals(9, read(new WebDatasetDataset(shard.toString(), SPEC)).size());
    }

    @Test
    void duplicatedMemberIsRefusedWithTheFix() throws IOException {
        List<Map.Entry<String, byte[]>> m = goodSamples(4);
        m.add(4, Map.entry("s/002.png", ImageFolderDatasetTest.png(16, 16, "png"))); // s/002.png twice in a row
        Path shard = tmp.resolve("dup.tar");
        writeTar(shard, m);
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> read(new WebDatasetDataset(shard.toString(), SPEC)));
        assertEquals("s/002", e.sampleId());
        assertTrue(e.getMessage().contains("s/002.png appears twice") && e.getMessage().contains("--sort=name"), e.getMessage());
        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new WebDatasetDataset(shard.toString(), SPEC, 0, ErrorPolicy.SKIP, stats));
        assertEquals(List.of("s/000", "s/001", "s/003"), kept.stream().map(Sample::id).toList());
        assertEquals(1, stats.skipped());
    }

    @Test
    void keyIsThePathUpToTheFirstDotOfTheBaseNameAndOrphansAreCounted() throws IOException {
        byte[] png = ImageFolderDatasetTest.png(16, 16, "png");
        List<Map.Entry<String, byte[]>> m = new ArrayList<>();
        m.add(Map.entry("v1.2/img.png", png)); // a dot in the folder is not the key's end
        m.add(Map.entry("v1.2/img.txt", utf8("\uFEFFfirst\r\n")));
        m.add(Map.entry("v1.2/img.seg.png", utf8("not decoded"))); // key v1.2/img, field "seg.png": same sample
        m.add(Map.entry("v1.2/orphan.txt", utf8("a caption whose image is missing")));
        m.add(Map.entry("v1.2/two.PNG", png));
        m.add(Map.entry("v1.2/two.txt", utf8("second")));
        Path shard = tmp.resolve("keys.tar");
        writeTar(shard, m);
        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new WebDatasetDataset(shard.toString(), SPEC, 0, ErrorPolicy.SKIP, stats));
        assertEquals(List.of("v1.2/img", "v1.2/two"), kept.stream().map(Sample::id).toList());
        assertEquals("first", kept.get(0).caption(), "byte-order mark and CRLF dropped from the .txt member");
        assertEquals(1, stats.skipped());
        assertTrue(stats.examples().get(0).contains("v1.2/orphan") && stats.examples().get(0).contains("no image"),
                stats.examples().get(0));
    }

    @Test
    void layoutCheckOfAGoodShardFindsNothing() throws IOException {
        Path shard = tmp.resolve("good.tar");
        writeTar(shard, goodSamples(5));
        assertEquals(Map.of(), ShardLayout.problems(shard));
        Map<String, String> problems = ShardLayout.problems(TestCases.path("webdataset-nonadjacent/b.tar"));
        assertEquals(List.of("000000", "000008", "000016", "000024", "000032", "000040", "000048", "000056"),
                new ArrayList<>(problems.keySet()));
    }
}
