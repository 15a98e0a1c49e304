package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path tmp;

    private static List<Sample> all(ImageCaptionDataset d) {
        try (Stream<Sample> s = d.stream()) {
            return s.toList();
        }
    }

    @Test
    void shapesWithDefaultsAndOptions() {
        ImageCaptionDataset d = Datasets.open("shapes", DatasetOptions.defaults().withLimit(20).withSeed(4));
        assertInstanceOf(ShapesDataset.class, d);
        assertEquals(new ImageSpec(3, 16, 16), d.spec());
        assertEquals(20, d.size().getAsLong());
        assertEquals(ShapesDataset.ATTRIBUTES, d.attributeNames());
        ImageCaptionDataset big = Datasets.open("shapes:7", DatasetOptions.defaults().withImageSize(32).withChannels(1));
        assertEquals(7, all(big).size());
        assertEquals(new ImageSpec(1, 32, 32), big.spec());
        assertEquals(ShapesDataset.DEFAULT_COUNT, Datasets.open("shapes").size().getAsLong());
    }

    @Test
    void fashionMnistSplitsFromAnyFolder() throws IOException {
        byte[] px = new byte[6 * 784];
        for (String prefix : new String[]{"train", "t10k"}) {
            FashionMnistDatasetTest.writeIdx(tmp.resolve(prefix + "-images-idx3-ubyte.gz"), new int[]{6, 28, 28}, px, 0, -1);
            FashionMnistDatasetTest.writeIdx(tmp.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[]{6},
                    new byte[]{0, 1, 2, 3, 4, 5}, 0, -1);
        }
        DatasetOptions o = DatasetOptions.defaults().withFashionMnistDir(tmp).withLimit(4);
        ImageCaptionDataset train = Datasets.open("fashion-mnist", o);
        assertEquals("fashion-mnist:train", train.name());
        assertEquals(new ImageSpec(1, 28, 28), train.spec());
        assertEquals(4, all(train).size());
        ImageCaptionDataset test = Datasets.open("fashion-mnist:test", o.withChannels(3).withImageSize(32));
        assertEquals("fashion-mnist:test", test.name());
        assertEquals(new ImageSpec(3, 32, 32), test.spec());
        ImageU8 first = all(test).get(0).image();
        assertEquals(3, first.channels());
        assertEquals(32, first.width());
        assertEquals(List.of("label"), test.attributeNames());
    }

    @Test
    void folderAndWebdatasetWithSkipStatsFromTheOptions() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("imgs"));
        Files.write(folder.resolve("a.png"), ImageFolderDatasetTest.png(24, 24, "png"));
        Files.write(folder.resolve("bad.png"), new byte[]{1, 2, 3});
        Files.writeString(folder.resolve("captions.tsv"), "a.png\tan image\nbad.png\tbroken\n");
        SkipStats stats = new SkipStats();
        DatasetOptions o = DatasetOptions.defaults().withErrorPolicy(ErrorPolicy.SKIP).withSkipStats(stats);
        ImageCaptionDataset f = Datasets.open("folder:" + folder, o);
        assertEquals(new ImageSpec(3, 32, 32), f.spec());
        assertEquals(1, all(f).size());
        assertEquals(1, stats.skipped());

        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("k1.png", ImageFolderDatasetTest.png(24, 24, "png"));
        members.put("k1.txt", "hello".getBytes());
        WebDatasetDatasetTest.writeTar(tmp.resolve("shard-0.tar"), members);
        ImageCaptionDataset w = Datasets.open("webdataset:" + tmp + "/shard-*.tar", o.withImageSize(16));
        List<Sample> samples = all(w);
        assertEquals(1, samples.size());
        assertEquals("hello", samples.get(0).caption());
        assertEquals(16, samples.get(0).image().width());
    }

    @Test
    void unknownSpecListsTheKnownForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("imagenet"));
        assertTrue(e.getMessage().contains("imagenet") && e.getMessage().contains("webdataset:GLOB")
                && e.getMessage().contains("fashion-mnist:test"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.open("fashion-mnist:validation"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.open("folder:"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.open("shapes:-3"));
        assertThrows(IllegalArgumentException.class, () -> DatasetOptions.defaults().withChannels(2));
        assertThrows(IllegalArgumentException.class, () -> DatasetOptions.defaults().withLimit(-1));
    }
}
