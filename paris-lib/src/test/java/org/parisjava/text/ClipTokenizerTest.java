package org.parisjava.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both tokenizer routes against transformers' CLIPTokenizer on 320 captions (scripts/make_hf_clip_fixture.py). */
class ClipTokenizerTest {

    @TempDir
    Path tmp;

    private static JsonObject reference() throws IOException {
        return JsonParser.parseString(Files.readString(HfClipFixture.path("tokenizer_reference.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static void assertMatchesReference(ClipTokenizer tok) throws IOException {
        JsonObject ref = reference();
        int l = ref.get("max_tokens").getAsInt();
        int pad = ref.get("pad_id").getAsInt();
        assertEquals(l, tok.maxTokens());
        assertEquals(pad, tok.padId());
        JsonArray caps = ref.getAsJsonArray("captions");
        JsonArray ids = ref.getAsJsonArray("ids");
        assertTrue(caps.size() >= 300, "a few hundred captions");
        int truncated = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < caps.size(); i++) {
            JsonArray row = ids.get(i).getAsJsonArray();
            long[] want = new long[l];
            java.util.Arrays.fill(want, pad);
            for (int j = 0; j < row.size(); j++) {
                want[j] = row.get(j).getAsLong();
            }
            truncated += row.size() == l ? 1 : 0;
            long[] got = tok.encode(caps.get(i).getAsString());
            if (!java.util.Arrays.equals(want, got)) {
                mismatches.add(i + ": '" + caps.get(i).getAsString() + "'\n  want " + java.util.Arrays.toString(want)
                        + "\n  got  " + java.util.Arrays.toString(got));
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " captions differ from transformers' CLIPTokenizer:\n"
                + String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
        assertTrue(truncated >= 3, "the fixture has captions longer than 77 tokens: " + truncated);
    }

    @Test
    void bpeFromVocabAndMergesMatchesTransformers() throws IOException {
        try (ClipTokenizer tok = ClipBpeTokenizer.open(HfClipFixture.path("tokenizer"), 77)) {
            assertMatchesReference(tok);
        }
    }

    @Test
    void tokenizerJsonThroughDjlMatchesTransformers() throws IOException {
        try (ClipTokenizer tok = ClipTokenizer.open(HfClipFixture.path("tokenizer"), 77)) {
            assertEquals("tokenizer.json", tok.describe(), "tokenizer.json is preferred when present");
            assertMatchesReference(tok);
        }
    }

    @Test
    void folderWithOnlyVocabAndMergesUsesTheJavaBpe() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tok"));
        for (String f : new String[] {"vocab.json", "merges.txt", "tokenizer_config.json"}) {
            Files.copy(HfClipFixture.path("tokenizer").resolve(f), dir.resolve(f));
        }
        try (ClipTokenizer tok = ClipTokenizer.open(dir, 8)) {
            assertTrue(tok.describe().startsWith("bpe"), tok.describe());
            long[] ids = tok.encode("a photo of a cat and a very long tail of words that will not fit");
            assertEquals(8, ids.length);
            assertEquals(tok.eosId(), ids[7], "the end token survives truncation");
            long[] empty = tok.encode("");
            assertEquals(tok.eosId(), empty[1]);
            for (int j = 2; j < 8; j++) {
                assertEquals(tok.padId(), empty[j]);
            }
        }
    }

    @Test
    void missingOrBrokenFilesAreNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.open(dir, 77));
        assertTrue(none.getMessage().contains("vocab.json") && none.getMessage().contains("empty"), none.getMessage());
        Files.copy(HfClipFixture.path("tokenizer").resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\ni n\nthis line is bad\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.open(dir, 77));
        assertTrue(bad.getMessage().contains("merges.txt:3"), bad.getMessage());
    }
}
