package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;
import org.parisjava.io.SafeTensors;

/**
 * CLIP score (arXiv 2104.08718) through both CLIP towers against transformers' CLIPModel on the tiny
 * fixture (scripts/make_hf_clip_model_fixture.py), in the full CLIPModel layout and the separate one.
 */
class ClipScorerTest {
    private static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    static Path clip(String name) {
        try {
            return Path.of(ClipScorerTest.class.getResource("/hf-clip/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> captions() throws IOException {
        String json = SafeTensors.readHeader(clip("clip-model.reference.safetensors")).metadata().get("captions");
        List<String> out = new ArrayList<>();
        JsonParser.parseString(json).getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static ImageU8 image(Map<String, NDArray> ref, int n) {
        NDArray hwc = ref.get("image" + n);
        int h = (int) hwc.getShape().get(0);
        int w = (int) hwc.getShape().get(1);
        int[] v = hwc.toType(DataType.INT32, false).toIntArray();
        byte[] chw = new byte[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * h * w + i] = (byte) v[i * 3 + c];
            }
        }
        return new ImageU8(3, h, w, chw);
    }

    private static void assertRowsClose(float[] expected, float[][] actual, String what) {
        int p = actual[0].length;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < p; j++) {
                assertEquals(expected[i * p + j], actual[i][j], TOL, what + " row " + i + " col " + j);
            }
        }
    }

    @Test
    void scoresAsTransformersInBothLayouts() throws IOException {
        List<String> captions = captions();
        float[] expectedScores;
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> ref = SafeTensors.read(clip("clip-model.reference.safetensors"), m);
            expectedScores = ref.get("clip_score").toFloatArray();
            for (String layout : new String[] {"clip-model", "clip-separate"}) {
                try (ClipScorer scorer = ClipScorer.load(clip(layout))) {
                    assertRowsClose(ref.get("text_embeds").toFloatArray(), scorer.textEmbeddings(captions),
                            layout + " text_embeds");
                    List<ImageU8> images = List.of(image(ref, 0), image(ref, 1), image(ref, 2));
                    float[] e = new float[3 * 16];
                    for (int n = 0; n < 3; n++) {
                        System.arraycopy(ref.get("image" + n + "_embeds").toFloatArray(), 0, e, n * 16, 16);
                    }
                    assertRowsClose(e, scorer.imageEmbeddings(images), layout + " image_embeds");
                    double[] s = scorer.scores(images, captions.subList(0, 3));
                    for (int i = 0; i < 3; i++) {
                        assertEquals(expectedScores[i], s[i], 1e-3, layout + " CLIP score " + i);
                    }
                    ClipScore cs = scorer.score(images, captions.subList(0, 3), 7);
                    assertEquals((s[0] + s[1] + s[2]) / 3, cs.score().estimate(), 1e-9);
                    assertEquals(3, cs.images());
                    assertTrue(scorer.name().contains("projection=16"), scorer.name());
                }
            }
        }
        assertTrue(expectedScores[0] > 0 && expectedScores[0] < 100, "a random tiny CLIP still gives a score in range");
    }

    @Test
    void clipScoreIsOneHundredTimesTheClippedCosineAndItsMeanHasAnInterval() {
        float[][] img = {{1, 0}, {1, 1}, {1, 0}, {3, 4}};
        float[][] txt = {{2, 0}, {1, -1}, {-1, 0}, {4, 3}};
        assertArrayEquals(new double[] {100, 0, 0, 96}, ClipScore.perPair(img, txt), 1e-9); // orthogonal, opposite: 0
        ClipScore s = ClipScore.of(ClipScore.perPair(img, txt), 3);
        assertEquals(49, s.score().estimate(), 1e-9);
        assertTrue(s.score().lower() <= 49 && 49 <= s.score().upper());
        assertTrue(s.score().lower() >= 0 && s.score().upper() <= 100);
        assertEquals(s, ClipScore.of(ClipScore.perPair(img, txt), 3), "seeded");
        assertThrows(IllegalArgumentException.class, () -> ClipScore.perPair(img, new float[3][2]));
        assertThrows(IllegalArgumentException.class, () -> ClipScore.of(new double[0], 1));
    }

    @Test
    void namesWhatAFolderLacks() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipScorer.locate(tmp));
        assertTrue(e.getMessage().contains("CLIPModel") && e.getMessage().contains(tmp.toString()), e.getMessage());
        Files.createDirectories(tmp.resolve("image_encoder"));
        e = assertThrows(IllegalArgumentException.class, () -> ClipScorer.locate(tmp));
        assertTrue(e.getMessage().contains("text_encoder/"), e.getMessage());
        // a bare CLIPTextModel (no projection) cannot score: the text tower of the expert fixture is one
        Path bare = tmp.resolve("bare");
        Files.createDirectories(bare);
        for (String part : new String[] {"image_encoder", "tokenizer"}) {
            copyDir(clip("clip-separate/" + part), bare.resolve(part));
        }
        copyDir(clip("text_encoder"), bare.resolve("text_encoder"));
        e = assertThrows(IllegalArgumentException.class, () -> ClipScorer.check(bare));
        assertTrue(e.getMessage().contains("text_projection.weight"), e.getMessage());
        ClipScorer.check(clip("clip-model"));
        ClipScorer.check(clip("clip-separate"));
        // preprocessing that crops to another side than the tower's input is refused, naming both
        Path cropped = tmp.resolve("cropped");
        copyDir(clip("clip-model"), cropped);
        Files.writeString(cropped.resolve("preprocessor_config.json"), "{\"size\": 24, \"crop_size\": 24}");
        e = assertThrows(IllegalArgumentException.class, () -> ClipScorer.load(cropped).close());
        assertTrue(e.getMessage().contains("crops to 24 px") && e.getMessage().contains("takes 32 px"), e.getMessage());
        Files.writeString(cropped.resolve("preprocessor_config.json"), "{\"size\": 32, \"resample\": 2}");
        e = assertThrows(IllegalArgumentException.class, () -> ClipScorer.load(cropped).close());
        assertTrue(e.getMessage().contains("preprocessor_config.json") && e.getMessage().contains("bicubic"),
                e.getMessage());
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
