package org.parisjava.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.HfModelFolder;
import org.parisjava.io.SafeTensors;

/** The Java CLIP text model against transformers' CLIPTextModel (scripts/make_hf_clip_fixture.py). */
class ClipTextModelTest {
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path tmp;

    private static List<String> captions() {
        String json = SafeTensors.readHeader(HfClipFixture.path("reference.safetensors")).metadata().get("captions");
        List<String> out = new ArrayList<>();
        JsonParser.parseString(json).getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static void assertClose(NDArray want, NDArray got, String what) {
        assertEquals(want.getShape(), got.getShape(), what + " shape");
        float[] w = want.toFloatArray();
        float[] g = got.toFloatArray();
        float worst = 0;
        int at = 0;
        for (int i = 0; i < w.length; i++) {
            float d = Math.abs(w[i] - g[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= TOLERANCE, what + " differs by " + worst + " at " + at + " (want " + w[at] + ", got "
                + g[at] + ")");
    }

    /** Tokenizes with the Java BPE, checks the ids against the reference's, runs the model, compares. */
    private void assertMatches(String folderName, String key, int captionCount) {
        List<String> captions = captions().subList(0, captionCount);
        try (NDManager m = NDManager.newBaseManager();
             HfModelFolder folder = HfModelFolder.open(HfClipFixture.path(folderName));
             ClipTokenizer tok = ClipBpeTokenizer.open(HfClipFixture.path("tokenizer"), 77)) {
            Map<String, NDArray> ref = SafeTensors.read(HfClipFixture.path("reference.safetensors"), m);
            ClipTextModel model = ClipTextModel.load(folder, m);
            NDArray ids = m.create(tok.encode(captions), new Shape(captions.size(), 77)); // (B, L)
            assertArrayEquals(ref.get(key + ".input_ids").toLongArray(), ids.toLongArray(), "token ids");
            ClipTextModel.Output out = model.forward(ids, m);
            assertClose(ref.get(key + ".last_hidden_state"), out.lastHiddenState(), key + " last_hidden_state");
            assertClose(ref.get(key + ".pooler_output"), out.pooled(), key + " pooler_output");
            model.close();
        }
    }

    @Test
    void quickGeluModelMatchesTransformers() {
        assertMatches("text_encoder", "quick_gelu", 5);
    }

    @Test
    void bf16ShardedGeluModelWithLegacyNamesMatchesTransformers() {
        // the sixth caption writes <|endoftext|> itself, so the end token appears twice: the first is pooled
        assertMatches("text_encoder_gelu_bf16", "gelu_bf16", 6);
    }

    @Test
    void fullSizeConfigCountsLikeTransformers() throws IOException {
        JsonObject full = JsonParser.parseString(Files.readString(HfClipFixture.path("full_size.json")))
                .getAsJsonObject();
        ClipTextConfig c = ClipTextConfig.fromJson(full.getAsJsonObject("config"), HfClipFixture.path("full_size.json"));
        assertEquals(ClipTextConfig.VIT_L_14.vocabSize(), c.vocabSize());
        assertEquals(ClipTextConfig.VIT_L_14.hiddenSize(), c.hiddenSize());
        assertEquals(ClipTextConfig.VIT_L_14.layers(), c.layers());
        assertEquals(full.get("parameters").getAsLong(), c.parameterCount());
        assertEquals(full.get("parameters").getAsLong(), ClipTextConfig.VIT_L_14.parameterCount());
        assertEquals(123_060_480L, ClipTextConfig.VIT_L_14.parameterCount());
    }

    @Test
    void configCountsWhatTheModelHolds() {
        ClipTextConfig small = new ClipTextConfig(100, 16, 24, 3, 2, 77, "gelu", 1e-5, 99);
        try (NDManager m = NDManager.newBaseManager(); ClipTextModel model = ClipTextModel.random(small, 1, m)) {
            assertEquals(small.parameterCount(), model.parameterCount());
            ClipTextModel.Output out = model.forward(m.zeros(new Shape(2, 77), ai.djl.ndarray.types.DataType.INT64), m);
            assertEquals(new Shape(2, 77, 16), out.lastHiddenState().getShape());
            assertEquals(new Shape(2, 16), out.pooled().getShape());
        }
    }

    @Test
    void encoderReadsAPipelineFolderAndAgreesWithTheModel() {
        // the fixture root has text_encoder/ and tokenizer/, as the released Paris and Stable Diffusion folders do
        Path root = HfClipFixture.path("text_encoder").getParent();
        List<String> captions = captions().subList(0, 4);
        try (HfClipTextEncoder enc = HfClipTextEncoder.load(root); NDManager m = NDManager.newBaseManager()) {
            assertEquals(32, enc.dim());
            assertEquals(77, enc.maxTokens());
            assertTrue(enc.describe().startsWith("clip-hf("), enc.describe());
            TextBatch t = enc.encode(captions, m);
            assertEquals(new Shape(4, 77, 32), t.tokens().getShape());
            assertEquals(4 * 77, (int) t.mask().sum().getFloat(), "every position is used, as in Stable Diffusion");
            Map<String, NDArray> ref = SafeTensors.read(HfClipFixture.path("reference.safetensors"), m);
            assertClose(ref.get("quick_gelu.last_hidden_state").get("0:4"), t.tokens(), "encoder tokens");
        }
    }

    @Test
    void wrongConfigOrExtraTensorIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("clip"));
        Path src = HfClipFixture.path("text_encoder");
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        String config = Files.readString(src.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"intermediate_size\": 64", "\"intermediate_size\": 48"));
        try (NDManager m = NDManager.newBaseManager(); HfModelFolder f = HfModelFolder.open(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTextModel.load(f, m));
            assertTrue(e.getMessage().contains("encoder.layers.0.mlp.fc1.weight")
                    && e.getMessage().contains("model.safetensors") && e.getMessage().contains("[64, 32]"),
                    e.getMessage());
        }
        Files.writeString(dir.resolve("config.json"), config.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1"));
        try (NDManager m = NDManager.newBaseManager(); HfModelFolder f = HfModelFolder.open(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTextModel.load(f, m));
            assertTrue(e.getMessage().contains("encoder.layers.1.") && e.getMessage().contains("unexpected"),
                    e.getMessage());
        }
        Files.writeString(dir.resolve("config.json"), config.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        try (NDManager m = NDManager.newBaseManager(); HfModelFolder f = HfModelFolder.open(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTextModel.load(f, m));
            assertTrue(e.getMessage().contains("Missing tensor encoder.layers.2."), e.getMessage());
        }
    }
}
