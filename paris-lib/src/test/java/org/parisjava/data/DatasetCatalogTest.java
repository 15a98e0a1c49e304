package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-level {@code datasets/} catalogue: its descriptors, the samples it ships (which must be
 * what {@link DatasetSamples} writes: run with {@code -Dparis.rewriteSamples=true} to rewrite them
 * after changing the generator), presence, checksums and {@code --dataset NAME}.
 */
class DatasetCatalogTest {
    /** Sizes and seeds of the committed samples; datasets/README.md says the same. */
    static final int FOLDER_COUNT = 16;
    static final long FOLDER_SEED = 7;
    static final int WDS_COUNT = 24;
    static final long WDS_SEED = 11;
    static final int SAMPLE_SIZE = 32;

    @TempDir
    Path tmp;

    private static Path repo() {
        return Path.of(System.getProperty("paris.repo"));
    }

    private static DatasetCatalog catalog() {
        return DatasetCatalog.standard();
    }

    @Test
    void catalogueDescribesEveryDatasetAndModelFolderOfThePaperPath() {
        DatasetCatalog c = catalog();
        assertEquals(repo().resolve("datasets").toAbsolutePath().normalize(), c.folder().toAbsolutePath().normalize());
        List<String> names = c.entries().stream().map(CatalogEntry::name).toList();
        for (String n : List.of("shapes", "fashion-mnist", "tiny-folder", "tiny-webdataset", "laion-aesthetics",
                "paris-weights", "clip-vit-large-patch14", "sd-vae-ft-mse", "dinov2-large")) {
            assertTrue(names.contains(n), "catalogue lacks " + n + ": " + names);
        }
        for (CatalogEntry e : c.entries()) {
            assertNotNull(e.title(), e.name());
            assertNotNull(e.source(), e.name());
            assertNotNull(e.licence(), e.name());
            assertNotNull(e.size(), e.name());
            assertNotNull(e.description(), e.name());
            assertTrue(e.generated() || !e.obtain().isEmpty(), e.name() + " says nowhere how to obtain it");
            if (e.kind() == CatalogEntry.Kind.MODEL) {
                assertTrue(e.use().startsWith("--") && e.use().contains("${dir}"), e.name() + ": " + e.use());
            }
        }
        assertEquals(CatalogEntry.Kind.MODEL, c.require("paris-weights").kind());
        assertTrue(c.require("paris-weights").files().stream()
                .anyMatch(f -> f.path().equals("expert_7/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void committedSamplesAreWhatTheCommittedCodeWrites() throws IOException {
        Path folder = tmp.resolve("tiny-folder");
        Path shard = tmp.resolve("tiny-webdataset/00000.tar");
        DatasetSamples.writeImageFolder(folder, DatasetSamples.shapes(FOLDER_COUNT, SAMPLE_SIZE, FOLDER_SEED));
        DatasetSamples.writeWebDatasetShard(shard, DatasetSamples.shapes(WDS_COUNT, SAMPLE_SIZE, WDS_SEED));
        Path committed = repo().resolve("datasets/samples");
        if (Boolean.getBoolean("paris.rewriteSamples")) {
            DatasetSamples.writeImageFolder(committed.resolve("tiny-folder"),
                    DatasetSamples.shapes(FOLDER_COUNT, SAMPLE_SIZE, FOLDER_SEED));
            DatasetSamples.writeWebDatasetShard(committed.resolve("tiny-webdataset/00000.tar"),
                    DatasetSamples.shapes(WDS_COUNT, SAMPLE_SIZE, WDS_SEED));
        }
        assertEquals(Files.readString(folder.resolve("captions.tsv")),
                Files.readString(committed.resolve("tiny-folder/captions.tsv")));
        for (int i = 0; i < FOLDER_COUNT; i++) {
            String name = String.format("img%03d.png", i);
            assertArrayEquals(pixels(Files.readAllBytes(folder.resolve(name))),
                    pixels(Files.readAllBytes(committed.resolve("tiny-folder").resolve(name))), name);
        }
        Map<String, byte[]> made = members(shard);
        Map<String, byte[]> shipped = members(committed.resolve("tiny-webdataset/00000.tar"));
        assertEquals(List.copyOf(made.keySet()), List.copyOf(shipped.keySet()));
        assertEquals(3 * WDS_COUNT, made.size());
        for (String m : made.keySet()) {
            if (m.endsWith(".png")) {
                assertArrayEquals(pixels(made.get(m)), pixels(shipped.get(m)), m);
            } else {
                assertEquals(new String(made.get(m), StandardCharsets.UTF_8), new String(shipped.get(m), StandardCharsets.UTF_8), m);
            }
        }
    }

    @Test
    void shardBytesDoNotDependOnTimeOrOwner() throws IOException {
        Path a = tmp.resolve("a.tar");
        Path b = tmp.resolve("b.tar");
        DatasetSamples.writeWebDatasetShard(a, DatasetSamples.shapes(4, 16, 3));
        DatasetSamples.writeWebDatasetShard(b, DatasetSamples.shapes(4, 16, 3));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void shippedSamplesAreFoundAndVerify() {
        DatasetCatalog c = catalog();
        for (String n : List.of("tiny-folder", "tiny-webdataset")) {
            CatalogEntry e = c.require(n);
            DatasetCatalog.Presence p = c.locate(e);
            assertEquals(DatasetCatalog.Status.PRESENT, p.status(), n + " " + p);
            List<DatasetCatalog.FileCheck> checks = c.check(e);
            assertFalse(checks.isEmpty());
            for (DatasetCatalog.FileCheck f : checks) {
                assertTrue(f.ok(), n + ": " + f);
                assertEquals("ok (sha256)", f.detail(), n + ": " + f);
            }
        }
        assertEquals(DatasetCatalog.Status.GENERATED, c.locate(c.require("shapes")).status());
    }

    @Test
    void datasetNamesOpenThroughTheCatalogue() {
        List<Sample> folder;
        try (Stream<Sample> s = Datasets.open("tiny-folder", DatasetOptions.defaults().withImageSize(16)).stream()) {
            folder = s.toList();
        }
        assertEquals(FOLDER_COUNT, folder.size());
        assertEquals(DatasetSamples.shapes(1, SAMPLE_SIZE, FOLDER_SEED).get(0).caption(), folder.get(0).caption());
        assertEquals(16, folder.get(0).image().width());
        List<Sample> wds;
        try (Stream<Sample> s = Datasets.open("tiny-webdataset").stream()) {
            wds = s.toList();
        }
        assertEquals(WDS_COUNT, wds.size());
        Sample first = DatasetSamples.shapes(1, SAMPLE_SIZE, WDS_SEED).get(0);
        assertEquals(first.caption(), wds.get(0).caption());
        assertEquals(first.attributes(), wds.get(0).attributes(), "attributes travel in the .json member");
        assertArrayEquals(first.image().chw(), wds.get(0).image().chw(), "PNG is lossless at the natural size");
    }

    @Test
    void aMissingDatasetSaysWhereItLookedAndHowToObtainIt() throws IOException {
        DatasetCatalog c = tempCatalog(Map.of("faraway.json", """
                {"name": "faraway", "title": "Far away", "kind": "dataset", "description": "d", "source": "https://example.org",
                 "licence": "CC-BY 4.0", "size": "1 shard", "obtain": ["img2dataset --output_format webdataset ..."],
                 "locations": ["${PARIS_DATA}/faraway"], "files": [{"path": "00000.tar"}],
                 "use": "webdataset:${dir}/*.tar"}
                """));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.datasetSpec("faraway"));
        assertTrue(e.getMessage().contains("is not on this machine"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("data/faraway").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("img2dataset --output_format webdataset"), e.getMessage());
        assertTrue(e.getMessage().contains("CC-BY 4.0"), e.getMessage());

        Files.createDirectories(tmp.resolve("data/faraway"));
        IllegalArgumentException inc = assertThrows(IllegalArgumentException.class, () -> c.datasetSpec("faraway"));
        assertTrue(inc.getMessage().contains("incomplete") && inc.getMessage().contains("00000.tar"), inc.getMessage());

        Files.writeString(tmp.resolve("data/faraway/00000.tar"), "x");
        assertEquals("webdataset:" + tmp.resolve("data/faraway") + "/*.tar", c.datasetSpec("faraway"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> c.require("nearby"));
        assertTrue(unknown.getMessage().contains("known: faraway"), unknown.getMessage());
    }

    @Test
    void checksumsCatchAChangedByteAndSizes() throws IOException {
        byte[] data = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(tmp.resolve("data/sums"));
        Files.write(dir.resolve("a.bin"), data);
        Files.write(dir.resolve("b.bin"), data);
        String sha = DatasetCatalog.sha256(dir.resolve("a.bin"));
        // printf 'twelve bytes' | sha256sum
        assertEquals("d4ce2c527afe674c7a086bd74e256019e3d5dcdb31eeb6eaadef5ada8c4383b9", sha);
        DatasetCatalog c = tempCatalog(Map.of("sums.json", """
                {"name": "sums", "title": "t", "kind": "dataset", "description": "d", "source": "s", "licence": "l",
                 "size": "s", "obtain": ["o"], "locations": ["${PARIS_DATA}/sums"],
                 "files": [{"path": "a.bin", "bytes": 12, "sha256": "%s"}, {"path": "b.bin", "bytes": 12, "sha256": "%s"}],
                 "use": "folder:${dir}"}
                """.formatted(sha, sha)));
        assertTrue(c.check(c.require("sums")).stream().allMatch(DatasetCatalog.FileCheck::ok));
        data[3] ^= 1;
        Files.write(dir.resolve("b.bin"), data);
        List<DatasetCatalog.FileCheck> checks = c.check(c.require("sums"));
        assertTrue(checks.get(0).ok());
        assertFalse(checks.get(1).ok());
        assertTrue(checks.get(1).detail().startsWith("sha256 "), checks.get(1).detail());
        Files.writeString(dir.resolve("b.bin"), "short");
        assertEquals("size 5 bytes, expected 12", c.check(c.require("sums")).get(1).detail());
    }

    @Test
    void modelFoldersAreFoundInTheHuggingFaceHubCache() throws IOException {
        DatasetCatalog c = tempCatalog(Map.of("tiny-vae.json", """
                {"name": "tiny-vae", "title": "t", "kind": "model", "description": "d", "source": "s", "licence": "MIT",
                 "size": "s", "obtain": ["hf download org/tiny-vae"], "fetch": "huggingface:org/tiny-vae",
                 "locations": ["${PARIS_DATA}/tiny-vae", "${HF_HUB}/models--org--tiny-vae/snapshots/*"],
                 "files": [{"path": "config.json"}], "use": "--latent hf:${dir}"}
                """));
        assertEquals(DatasetCatalog.Status.MISSING, c.locate(c.require("tiny-vae")).status());
        Path snap = Files.createDirectories(tmp.resolve("hub/models--org--tiny-vae/snapshots/0123abc"));
        Files.writeString(snap.resolve("config.json"), "{}");
        DatasetCatalog.Presence p = c.locate(c.require("tiny-vae"));
        assertEquals(DatasetCatalog.Status.PRESENT, p.status());
        assertEquals(snap, p.dir());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.datasetSpec("tiny-vae"));
        assertTrue(e.getMessage().contains("--latent hf:DIR"), e.getMessage());
    }

    @Test
    void badDescriptorsAreNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tempCatalog(Map.of("x.json",
                "{\"name\": \"y\", \"kind\": \"dataset\", \"use\": \"shapes\"}")));
        assertTrue(e.getMessage().contains("x.json") && e.getMessage().contains("'y'"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> tempCatalog(Map.of("z.json",
                "{\"name\": \"z\", \"kind\": \"dataset\", \"use\": \"shapes\", \"fetch\": \"curl http://x\"}")));
        assertTrue(bad.getMessage().contains("z.json") && bad.getMessage().contains("apt:PACKAGE"), bad.getMessage());
    }

    @Test
    void fashionMnistChecksumsMatchDebiansPackageWhenInstalled() {
        DatasetCatalog c = catalog();
        CatalogEntry e = c.require("fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(c.locate(e).status() == DatasetCatalog.Status.PRESENT,
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist; ./paris test installs it)");
        assertEquals(4, e.files().size());
        for (DatasetCatalog.FileCheck f : c.check(e)) {
            assertTrue(f.ok(), f.toString());
        }
    }

    private DatasetCatalog tempCatalog(Map<String, String> descriptors) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("catalogue-" + descriptors.keySet().iterator().next()));
        for (var d : descriptors.entrySet()) {
            Files.writeString(folder.resolve(d.getKey()), d.getValue());
        }
        return DatasetCatalog.load(folder, Map.of("PARIS_HOME", tmp.toString(), "PARIS_DATA", tmp.resolve("data").toString(),
                "HF_HUB", tmp.resolve("hub").toString()));
    }

    private static int[] pixels(byte[] png) throws IOException {
        var img = ImageIO.read(new java.io.ByteArrayInputStream(png));
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static Map<String, byte[]> members(Path tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
