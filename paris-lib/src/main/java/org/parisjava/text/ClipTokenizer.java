package org.parisjava.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CLIP's tokenizer (Radford et al. 2021, arXiv 2103.00020): byte-level BPE with an end-of-word mark,
 * lower-cased, each caption framed by {@code <|startoftext|>} .. {@code <|endoftext|>}, truncated to
 * L - 2 tokens and padded to L (77 for CLIP) with the pad token.
 *
 * <p>{@link #open} reads a Hugging Face tokenizer folder: with {@code tokenizer.json}, through DJL's
 * Hugging Face tokenizers (the Rust library transformers itself runs); with only {@code vocab.json}
 * and {@code merges.txt}, through {@link ClipBpeTokenizer}, this project's own BPE. Both give the ids
 * transformers' CLIPTokenizer gives.
 */
public interface ClipTokenizer extends AutoCloseable {

    /** L, the padded length. */
    int maxTokens();

    /** Id of the end token, {@code <|endoftext|>}. */
    int eosId();

    /** Id the rows are padded with. */
    int padId();

    /** The ids of {@code caption}: start, at most L - 2 BPE tokens, end, then padding to L. */
    long[] encode(String caption);

    /** The ids of every caption, (B, L) row-major. */
    default long[] encode(List<String> captions) {
        int l = maxTokens();
        long[] ids = new long[captions.size() * l];
        for (int i = 0; i < captions.size(); i++) {
            System.arraycopy(encode(captions.get(i)), 0, ids, i * l, l);
        }
        return ids;
    }

    /** Short name for run records, e.g. {@code tokenizer.json} or {@code bpe}. */
    String describe();

    @Override
    default void close() {
    }

    /**
     * Opens the tokenizer in {@code folder}, preferring {@code tokenizer.json} when present.
     *
     * @param maxTokens L (the text model's max_position_embeddings, 77 for CLIP)
     * @throws IllegalArgumentException naming the folder if neither tokenizer.json nor vocab.json and
     *                                  merges.txt are there
     */
    static ClipTokenizer open(Path folder, int maxTokens) {
        if (Files.isRegularFile(folder.resolve("tokenizer.json"))) {
            return HfJsonClipTokenizer.open(folder, maxTokens);
        }
        if (Files.isRegularFile(folder.resolve("vocab.json")) && Files.isRegularFile(folder.resolve("merges.txt"))) {
            return ClipBpeTokenizer.open(folder, maxTokens);
        }
        throw new IllegalArgumentException("No CLIP tokenizer in " + folder
                + " (expected tokenizer.json, or vocab.json and merges.txt)");
    }

    /** A special token's text from tokenizer_config.json or special_tokens_map.json, or {@code fallback}. */
    static String specialToken(Path folder, String key, String fallback) {
        for (String name : new String[] {"tokenizer_config.json", "special_tokens_map.json"}) {
            Path f = folder.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
                JsonElement e = o.get(key);
                if (e != null && e.isJsonPrimitive()) {
                    return e.getAsString();
                }
                if (e != null && e.isJsonObject() && e.getAsJsonObject().has("content")) {
                    return e.getAsJsonObject().get("content").getAsString(); // transformers 4.x AddedToken form
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("Cannot read " + f, ex);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("Invalid JSON in " + f + ": " + ex.getMessage(), ex);
            }
        }
        return fallback;
    }
}
