package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.reproduce.Figures;
import org.parisjava.run.RunLayout;

/**
 * {@code paris reproduce} on a dataset without attributes (the shipped tiny image folder): refused
 * before clustering when nothing can measure it, and measured in DINOv2 features (FID and KID, prompt
 * adherence marked as not measured) when a DINOv2 folder is given.
 */
class EvaluateAnyDatasetTest {
    @TempDir
    Path tmp;

    private static Path tinyDinov2() {
        // the tiny DINOv2 folder of scripts/make_hf_dinov2_fixture.py (hidden 32, 2 layers, patch 14)
        return Path.of(System.getProperty("paris.repo"), "paris-lib/src/test/resources/hf/tiny-dinov2");
    }

    @Test
    void aFolderWithoutAttributesAndWithoutAFeatureModelIsRefusedNamingWhatToPass() {
        Path out = tmp.resolve("refused");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = ParisCli.run("reproduce", "--preset", "smoke", "--dataset", "tiny-folder", "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("cannot be evaluated") && message.contains("--fid-model")
                && message.contains("--eval-features hf:PATH"), message);
        assertFalse(Files.exists(out), "nothing may be written for a refused run");
    }

    @Test
    void aMissingClipFolderIsRefusedBeforeAnyStageNamingItsCatalogueEntry() {
        Path out = tmp.resolve("no-clip");
        Path missing = tmp.resolve("clip-vit-large-patch14");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = ParisCli.run("reproduce", "--preset", "smoke", "--dataset", "tiny-folder", "--features",
                    "hf:" + tinyDinov2(), "--clip", "hf:" + missing, "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("CLIP score hf:" + missing) && message.contains("catalogue entry clip-vit-large-patch14"),
                message);
        assertFalse(Files.exists(out), "nothing may be written for a refused run");
    }

    @Test
    void aFolderRunsWithDinov2FeaturesAndReportsFidKidWithoutAdherence() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        String[] args = {"reproduce", "--preset", "smoke", "--dataset", "tiny-folder", "--features",
            "hf:" + tinyDinov2(), "--eval-images", "8", "--in-process", "--out", run.root().toString()};
        assertEquals(0, ParisCli.run(args));

        List<String> csv = Files.readAllLines(run.figuresDir().resolve(Figures.RESULTS_CSV));
        assertEquals(6, csv.size(), String.join("\n", csv));
        List<String> header = List.of(csv.get(0).split(",", -1));
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            double fd = Double.parseDouble(cells[header.indexOf("frechet_distance")]);
            double kid = Double.parseDouble(cells[header.indexOf("kid")]);
            double kidLow = Double.parseDouble(cells[header.indexOf("kid_low")]);
            double kidHigh = Double.parseDouble(cells[header.indexOf("kid_high")]);
            assertTrue(fd >= -1e-9 && Double.isFinite(kid) && kidLow <= kidHigh, line);
            assertEquals("", cells[header.indexOf("adherence")], "adherence is not measured: " + line);
        }
        String md = Files.readString(run.figuresDir().resolve(Figures.RESULTS_MD));
        assertTrue(md.contains("not measured") && md.contains("dinov2") && md.contains("real (held-out)"), md);

        JsonObject results = Json.read(run.evalDir().resolve("results.json"), JsonObject.class);
        assertTrue(results.get("featureSpace").getAsString().startsWith("hf:tiny-dinov2(dinov2"), results.toString());
        assertFalse(results.has("adherenceMethod") && !results.get("adherenceMethod").isJsonNull());

        // the real images' features are cached per feature space and reused by a re-evaluation
        Path cached;
        try (Stream<Path> s = Files.walk(run.evalDir().resolve("reference"))) {
            cached = s.filter(p -> p.getFileName().toString().equals("features.bin")).findFirst().orElseThrow();
        }
        FileTime before = Files.getLastModifiedTime(cached);
        assertTrue(Files.readString(cached.resolveSibling("reference.json")).contains("tiny-dinov2"));
        assertEquals(0, ParisCli.run("evaluate", "--run", run.root().toString(), "--strategies", "top-1,top-2"));
        assertEquals(before, Files.getLastModifiedTime(cached));
        assertEquals(3, Files.readAllLines(run.figuresDir().resolve(Figures.RESULTS_CSV)).size());
    }
}
