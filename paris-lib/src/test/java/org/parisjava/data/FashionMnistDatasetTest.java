package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistDatasetTest {
    @TempDir
    Path tmp;

    /** Writes a gzipped IDX file: magic 0x0000 08 DD, sizes, then the bytes. */
    static void writeIdx(Path file, int[] dims, byte[] data, int magicOverride, int truncateTo) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); GZIPOutputStream gz = new GZIPOutputStream(raw);
             DataOutputStream out = new DataOutputStream(gz)) {
            out.writeInt(magicOverride != 0 ? magicOverride : (0x08 << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data, 0, truncateTo >= 0 ? truncateTo : data.length);
        }
    }

    /** n tiny 28x28 images whose pixel values encode (index, position), labels i % 10. */
    private Path writeTinySet(int n, String prefix) throws IOException {
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7 + i / 784);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        writeIdx(tmp.resolve(prefix + "-images-idx3-ubyte.gz"), new int[]{n, 28, 28}, px, 0, -1);
        writeIdx(tmp.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[]{n}, labels, 0, -1);
        return tmp;
    }

    @Test
    void idxRoundTripOnAFileTheTestWrites() throws IOException {
        Path dir = writeTinySet(12, "t10k");
        FashionMnistDataset d = new FashionMnistDataset(dir, FashionMnistDataset.Split.TEST);
        assertEquals(12, d.size().getAsLong());
        assertEquals(new ImageSpec(1, 28, 28), d.spec());
        List<Sample> all;
        try (Stream<Sample> s = d.stream()) {
            all = s.toList();
        }
        assertEquals(12, all.size());
        for (int i = 0; i < 12; i++) {
            byte[] want = new byte[784];
            for (int p = 0; p < 784; p++) {
                int g = i * 784 + p;
                want[p] = (byte) (g * 7 + g / 784);
            }
            assertArrayEquals(want, all.get(i).image().chw(), "image " + i);
            assertEquals(FashionMnistDataset.LABELS.get(i % 10), all.get(i).attributes().get("label"));
        }
        assertEquals("a photo of a sneaker", FashionMnistDataset.caption(7));
        assertEquals("a photo of an ankle boot", all.get(9).caption());
        assertEquals("a photo of a t-shirt", all.get(0).caption());
        // a second stream reads what the first decoded, from memory: the same samples
        List<Sample> again;
        try (Stream<Sample> s = d.stream()) {
            again = s.toList();
        }
        assertEquals(all.size(), again.size());
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(all.get(i).image().chw(), again.get(i).image().chw(), "image " + i);
            assertEquals(all.get(i).id(), again.get(i).id());
            assertEquals(all.get(i).caption(), again.get(i).caption());
            assertEquals(all.get(i).attributes(), again.get(i).attributes());
        }
        // a partial stream first (the PCA sample) does not make a partial copy
        FashionMnistDataset fresh = new FashionMnistDataset(dir, FashionMnistDataset.Split.TEST);
        try (Stream<Sample> s = fresh.stream()) {
            assertEquals(3, s.limit(3).count());
        }
        try (Stream<Sample> s = fresh.stream()) {
            assertEquals(12, s.count());
        }
    }

    @Test
    void limitResizeAndChannels() throws IOException {
        Path dir = writeTinySet(10, "train");
        FashionMnistDataset d = new FashionMnistDataset(dir, FashionMnistDataset.Split.TRAIN, 4, 16, 3,
                ErrorPolicy.FAIL, new SkipStats());
        List<Sample> all;
        try (Stream<Sample> s = d.stream()) {
            all = s.toList();
        }
        assertEquals(4, all.size());
        ImageU8 img = all.get(0).image();
        assertEquals(new ImageSpec(3, 16, 16), new ImageSpec(img.channels(), img.height(), img.width()));
        // Grey replicated into RGB.
        assertEquals(img.get(0, 5, 5), img.get(2, 5, 5));
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        writeTinySet(3, "train");
        writeIdx(tmp.resolve("train-images-idx3-ubyte.gz"), new int[]{3, 28, 28}, new byte[3 * 784], 0x00000801 + 0x100, -1);
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> new FashionMnistDataset(tmp, FashionMnistDataset.Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedFileFailsNamingTheItemOrIsSkippedAndCounted() throws IOException {
        writeTinySet(5, "train");
        // Header says 5 images, only 2.5 are there.
        writeIdx(tmp.resolve("train-images-idx3-ubyte.gz"), new int[]{5, 28, 28}, new byte[5 * 784], 0, 2 * 784 + 300);
        FashionMnistDataset failing = new FashionMnistDataset(tmp, FashionMnistDataset.Split.TRAIN);
        CorruptSampleException e = assertThrows(CorruptSampleException.class, () -> {
            try (Stream<Sample> s = failing.stream()) {
                s.forEach(x -> { });
            }
        });
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("item 2"), e.getMessage());

        SkipStats stats = new SkipStats();
        FashionMnistDataset skipping = new FashionMnistDataset(tmp, FashionMnistDataset.Split.TRAIN, 0, 28, 1,
                ErrorPolicy.SKIP, stats);
        try (Stream<Sample> s = skipping.stream()) {
            assertEquals(2, s.count());
        }
        assertEquals(1, stats.skipped());
        // a stream that met a fault is not kept: the next one reads the file again and meets it again (the same
        // item, counted once)
        SkipStats second = new SkipStats();
        FashionMnistDataset again = new FashionMnistDataset(tmp, FashionMnistDataset.Split.TRAIN, 0, 28, 1,
                ErrorPolicy.SKIP, second);
        for (int pass = 0; pass < 2; pass++) {
            try (Stream<Sample> s = again.stream()) {
                assertEquals(2, s.count());
            }
        }
        assertEquals(1, second.skipped());
        assertThrows(CorruptSampleException.class, () -> {
            try (Stream<Sample> s = failing.stream()) {
                s.forEach(x -> { });
            }
        }, "a failing dataset fails on every stream");
    }

    @Test
    void labelCountMismatchAndMissingFilesAreClearErrors() throws IOException {
        writeTinySet(4, "train");
        writeIdx(tmp.resolve("train-labels-idx1-ubyte.gz"), new int[]{3}, new byte[3], 0, -1);
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> new FashionMnistDataset(tmp, FashionMnistDataset.Split.TRAIN));
        assertTrue(e.getMessage().contains("3 labels for 4 images"), e.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnistDataset(tmp.resolve("nowhere"), FashionMnistDataset.Split.TEST));
        assertTrue(missing.getMessage().contains("t10k-images-idx3-ubyte.gz")
                && missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());
    }

    @Test
    void realFilesHaveTheKnownSizesAndBalancedLabels() {
        Path dir = DatasetOptions.DEFAULT_FASHION_MNIST_DIR;
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed");
        FashionMnistDataset train = new FashionMnistDataset(dir, FashionMnistDataset.Split.TRAIN);
        FashionMnistDataset test = new FashionMnistDataset(dir, FashionMnistDataset.Split.TEST);
        assertEquals(60_000, train.size().getAsLong());
        assertEquals(10_000, test.size().getAsLong());
        Map<String, Long> histogram;
        try (Stream<Sample> s = train.stream()) {
            histogram = s.collect(Collectors.groupingBy(x -> x.attributes().get("label"), TreeMap::new, Collectors.counting()));
        }
        assertEquals(10, histogram.size());
        histogram.values().forEach(n -> assertEquals(6000L, n));
        try (Stream<Sample> s = test.stream()) {
            assertEquals(10_000, s.count());
        }
    }
}
