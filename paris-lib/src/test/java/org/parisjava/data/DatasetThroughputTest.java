package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of each reader, logged for the README. Slow (tens of seconds), and the fast tests
 * cover the same code paths, so it runs only on request:
 * {@code mvn -B -q -o test -pl paris-lib -Dtest=DatasetThroughputTest -Dsurefire.excludedGroups=none}.
 */
@Tag("slow")
class DatasetThroughputTest {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetThroughputTest.class);

    @TempDir
    Path tmp;

    private static double perSecond(ImageCaptionDataset d, long expected) {
        // One warm-up pass over a slice, then the timed full pass.
        try (Stream<Sample> s = d.stream()) {
            s.limit(500).forEach(x -> { });
        }
        long t0 = System.nanoTime();
        long n;
        try (Stream<Sample> s = d.stream()) {
            n = s.mapToLong(x -> x.image().numel() > 0 ? 1 : 0).sum(); // count() would skip the work on SIZED streams
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(expected, n);
        double rate = n / seconds;
        LOG.info("{}: {} samples in {} s = {} samples/s", d.name(), n, String.format("%.2f", seconds), Math.round(rate));
        return rate;
    }

    @Test
    void shapes() {
        assertTrue(perSecond(new ShapesDataset(20_000, 16, 1L), 20_000) > 1000);
        assertTrue(perSecond(new ShapesDataset(5_000, 32, 1L), 5_000) > 200);
    }

    @Test
    void fashionMnist() {
        Path dir = DatasetOptions.DEFAULT_FASHION_MNIST_DIR;
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")));
        assertTrue(perSecond(new FashionMnistDataset(dir, FashionMnistDataset.Split.TRAIN), 60_000) > 5000);
    }

    @Test
    void webDataset() throws IOException {
        // 4 shards of 1000 PNG + caption samples (64x64 shapes), read back at 32x32.
        ShapesDataset source = new ShapesDataset(4000, 64, 3L);
        for (int shard = 0; shard < 4; shard++) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            for (int i = shard * 1000; i < (shard + 1) * 1000; i++) {
                Sample s = source.sample(i);
                java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
                javax.imageio.ImageIO.write(s.image().toBufferedImage(), "png", png);
                members.put(String.format("%06d.png", i), png.toByteArray());
                members.put(String.format("%06d.txt", i), s.caption().getBytes());
            }
            WebDatasetDatasetTest.writeTar(tmp.resolve(String.format("%05d.tar", shard)), members);
        }
        WebDatasetDataset d = new WebDatasetDataset(tmp + "/{00000..00003}.tar", new ImageSpec(3, 32, 32));
        assertTrue(perSecond(d, 4000) > 200);
    }
}
