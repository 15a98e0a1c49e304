package org.parisjava.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A CLIP tokenizer read from a folder's {@code tokenizer.json} by DJL's Hugging Face tokenizers
 * (the Rust {@code tokenizers} library, natives shipped in the jar, so it works offline). The file
 * carries the normalizer, the pre-tokenizer, the BPE and the start/end post-processor; truncation to
 * L - 2 tokens is asked of the library and the padding (with the pad token from tokenizer_config.json,
 * {@code <|endoftext|>} for CLIP) is done here, because CLIP's tokenizer.json usually has none.
 */
final class HfJsonClipTokenizer implements ClipTokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final int eosId;
    private final int padId;

    private HfJsonClipTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens, int eosId, int padId) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.eosId = eosId;
        this.padId = padId;
    }

    static HfJsonClipTokenizer open(Path folder, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("Invalid number of text tokens: " + maxTokens);
        }
        Path file = folder.resolve("tokenizer.json");
        HuggingFaceTokenizer tok;
        try {
            tok = HuggingFaceTokenizer.builder().optTokenizerPath(file).optMaxLength(maxTokens).optTruncation(true)
                    .optPadding(false).optAddSpecialTokens(true).build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        String eos = ClipTokenizer.specialToken(folder, "eos_token", "<|endoftext|>");
        String pad = ClipTokenizer.specialToken(folder, "pad_token", eos);
        try {
            return new HfJsonClipTokenizer(tok, maxTokens, tokenId(tok, eos, file), tokenId(tok, pad, file));
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    private static int tokenId(HuggingFaceTokenizer tok, String token, Path file) {
        Encoding e = tok.encode(token, false, false);
        long[] ids = e.getIds();
        if (ids.length != 1) {
            throw new IllegalArgumentException("Special token " + token + " is not one token in " + file);
        }
        return (int) ids[0];
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public String describe() {
        return "tokenizer.json";
    }

    @Override
    public long[] encode(String caption) {
        long[] got = tokenizer.encode(caption).getIds();
        if (got.length > maxTokens) {
            throw new IllegalStateException("tokenizer.json gave " + got.length + " ids, more than " + maxTokens);
        }
        long[] ids = Arrays.copyOf(got, maxTokens);
        Arrays.fill(ids, got.length, maxTokens, padId);
        return ids;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
