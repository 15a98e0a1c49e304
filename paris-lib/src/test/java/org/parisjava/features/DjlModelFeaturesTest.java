package org.parisjava.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parisjava.data.ImageU8;

/**
 * Loads the tiny models that src/test/resources/models/make_tiny_models.py traced with PyTorch and
 * checks DJL's outputs against the ones Python computed for the same input (reference.json).
 */
class DjlModelFeaturesTest {
    private static Path models;
    private static JsonObject ref;
    private static List<ImageU8> batch;

    @BeforeAll
    static void load() throws Exception {
        models = Path.of(DjlModelFeaturesTest.class.getResource("/models/reference.json").toURI()).getParent();
        ref = JsonParser.parseString(Files.readString(models.resolve("reference.json"))).getAsJsonObject();
        JsonArray px = ref.getAsJsonArray("input_u8_chw");
        int per = 3 * 8 * 8;
        batch = new ArrayList<>();
        for (int b = 0; b < ref.get("batch").getAsInt(); b++) {
            byte[] chw = new byte[per];
            for (int i = 0; i < per; i++) {
                chw[i] = (byte) px.get(b * per + i).getAsInt();
            }
            batch.add(new ImageU8(3, 8, 8, chw));
        }
    }

    private static void assertMatches(String key, float[][] out, int dim) {
        JsonArray want = ref.getAsJsonArray(key);
        assertEquals(batch.size(), out.length);
        for (int b = 0; b < out.length; b++) {
            assertEquals(dim, out[b].length);
            for (int d = 0; d < dim; d++) {
                assertEquals(want.get(b * dim + d).getAsFloat(), out[b][d], 1e-5, key + " [" + b + "," + d + "]");
            }
        }
    }

    private static DjlModelFeatures open(String file) {
        return DjlModelFeatures.builder().setModelPath(models.resolve(file)).optInputSize(3, 8, 8)
                .optNormalization(ImageNormalization.SIGNED).build();
    }

    @Test
    void torchScriptConvNetMatchesPython() {
        try (DjlModelFeatures fx = open("tiny_convnet.pt")) {
            assertEquals(6, fx.dimension());
            assertEquals("model:tiny_convnet.pt", fx.name());
            assertMatches("tiny_convnet", fx.extract(batch), 6);
        }
    }

    @Test
    void rankThreeOutputGivesTheClsToken() {
        try (DjlModelFeatures fx = open("tiny_vit_like.pt")) {
            assertEquals(5, fx.dimension());
            assertMatches("tiny_vit_like_cls", fx.extract(batch), 5);
        }
    }

    @Test
    void onnxExportMatchesPython() {
        assertTrue(ref.get("onnx").getAsBoolean(), "make_tiny_models.py could not export ONNX");
        try (DjlModelFeatures fx = open("tiny_convnet.onnx")) {
            assertMatches("tiny_convnet", fx.extract(batch), 6);
        }
    }

    @Test
    void greyImagesAreResizedAndRepeatedToThreeChannels() {
        try (DjlModelFeatures fx = DjlModelFeatures.builder().setModelPath(models.resolve("tiny_convnet.pt"))
                .optInputSize(3, 8, 8).build()) { // ImageNet normalization, the default
            List<ImageU8> grey = List.of(new ImageU8(1, 28, 28, new byte[28 * 28]), new ImageU8(1, 28, 28, new byte[28 * 28]));
            float[][] f = fx.extract(grey); // (2, 6)
            assertEquals(2, f.length);
            assertEquals(6, f[0].length);
            assertEquals(f[0][3], f[1][3], 0f);
        }
    }

    @Test
    void missingModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DjlModelFeatures.builder().setModelPath(models.resolve("nope.pt")).build());
        assertTrue(e.getMessage().contains("nope.pt"), e.getMessage());
    }
}
