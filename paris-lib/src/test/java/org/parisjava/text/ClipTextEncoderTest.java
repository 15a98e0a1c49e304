package org.parisjava.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTextEncoderTest {

    @Test
    void tinyClipReproducesThePythonReference() throws IOException {
        JsonObject ref = TinyModels.reference();
        int l = ref.get("max_tokens").getAsInt();
        List<String> captions = new ArrayList<>();
        ref.getAsJsonArray("captions").forEach(e -> captions.add(e.getAsString()));
        long[] ids = new long[captions.size() * l];
        var rows = ref.getAsJsonArray("ids");
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < l; j++) {
                ids[i * l + j] = rows.get(i).getAsJsonArray().get(j).getAsLong();
            }
        }
        try (ClipTextEncoder enc = ClipTextEncoder.load(TinyModels.file("tiny_clip_text.pt"),
                TinyModels.file("tiny_tokenizer.json"), l);
             NDManager m = NDManager.newBaseManager()) {
            assertEquals(ref.get("width").getAsInt(), enc.dim());
            assertArrayEquals(ids, enc.tokenIds(captions), "token ids differ from the Python tokenization");
            TextBatch t = enc.encode(captions, m);
            assertEquals(new Shape(captions.size(), l, enc.dim()), t.tokens().getShape());
            float[] want = TinyModels.floats(ref, "hidden");
            float[] got = t.tokens().toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4f, "hidden state " + i);
            }
            assertEquals(captions.size() * l, (int) t.mask().sum().getFloat(), "CLIP uses every token");
            assertTrue(enc.describe().startsWith("clip("));
        }
    }

    @Test
    void missingFilesAreNamed() {
        IOException e = assertThrows(IOException.class, () -> ClipTextEncoder.load(Path.of("no-such-model.pt"),
                TinyModels.file("tiny_tokenizer.json"), 8));
        assertTrue(e.getMessage().contains("no-such-model.pt"), e.getMessage());
    }
}
