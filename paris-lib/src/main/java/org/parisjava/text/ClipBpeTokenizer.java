package org.parisjava.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE (Radford et al. 2021, arXiv 2103.00020) from a tokenizer folder's
 * {@code vocab.json} and {@code merges.txt}, following the pipeline of transformers' CLIPTokenizer:
 * special tokens are matched in the raw text; the rest is NFC-normalized, each whitespace run becomes
 * one space, the text is lower-cased and split into words (contractions, letter runs, single digits,
 * runs of other symbols; spaces dropped); each word's UTF-8 bytes are mapped to printable symbols,
 * the last one marked with {@code </w>}, and merged pairwise in merge-list order. Thread-safe.
 */
public final class ClipBpeTokenizer implements ClipTokenizer {
    private static final String END_OF_WORD = "</w>";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int CACHE_LIMIT = 100_000;

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks; // "left right" -> merge priority
    private final String[] byteSymbols = byteSymbols();
    private final List<String> specials; // matched verbatim in the raw text
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;
    private final int maxTokens;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipBpeTokenizer(Map<String, Integer> vocab, Map<String, Integer> ranks, String bos, String eos, String pad,
            String unk, int maxTokens, Path folder) {
        this.vocab = vocab;
        this.ranks = ranks;
        this.bosId = id(bos, folder);
        this.eosId = id(eos, folder);
        this.padId = id(pad, folder);
        this.unkId = id(unk, folder);
        this.specials = List.of(bos, eos);
        this.maxTokens = maxTokens;
    }

    /**
     * Reads {@code vocab.json} and {@code merges.txt} (and the special tokens from tokenizer_config.json
     * when present, CLIP's by default) from {@code folder}.
     *
     * @throws IllegalArgumentException naming the file and line for a missing file, a malformed merge
     *                                  or a special token missing from the vocabulary
     */
    public static ClipBpeTokenizer open(Path folder, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("Invalid number of text tokens: " + maxTokens);
        }
        Path vocabFile = folder.resolve("vocab.json");
        Path mergesFile = folder.resolve("merges.txt");
        Map<String, Integer> vocab = new HashMap<>();
        Map<String, Integer> ranks = new HashMap<>();
        try {
            JsonObject v = JsonParser.parseString(Files.readString(vocabFile, StandardCharsets.UTF_8)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : v.entrySet()) {
                vocab.put(e.getKey(), e.getValue().getAsInt());
            }
            List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || (i == 0 && line.startsWith("#version"))) {
                    continue;
                }
                String[] pair = line.split(" ");
                if (pair.length != 2) {
                    throw new IllegalArgumentException("Malformed merge at " + mergesFile + ":" + (i + 1) + ": '" + line + "'");
                }
                ranks.putIfAbsent(pair[0] + " " + pair[1], ranks.size());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read CLIP tokenizer files in " + folder + ": " + e, e);
        } catch (IllegalStateException | com.google.gson.JsonParseException | NumberFormatException e) {
            throw new IllegalArgumentException("Invalid vocabulary " + vocabFile + ": " + e.getMessage(), e);
        }
        String bos = ClipTokenizer.specialToken(folder, "bos_token", "<|startoftext|>");
        String eos = ClipTokenizer.specialToken(folder, "eos_token", "<|endoftext|>");
        String pad = ClipTokenizer.specialToken(folder, "pad_token", eos);
        String unk = ClipTokenizer.specialToken(folder, "unk_token", eos);
        return new ClipBpeTokenizer(vocab, ranks, bos, eos, pad, unk, maxTokens, folder);
    }

    private int id(String token, Path folder) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("Special token " + token + " is not in " + folder.resolve("vocab.json"));
        }
        return id;
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
        return "bpe(vocab.json+merges.txt)";
    }

    @Override
    public long[] encode(String caption) {
        List<Integer> tokens = new ArrayList<>();
        int start = 0;
        while (start <= caption.length()) {
            int at = -1;
            String special = null;
            for (String s : specials) {
                int i = caption.indexOf(s, start);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    special = s;
                }
            }
            String plain = caption.substring(start, at < 0 ? caption.length() : at);
            encodePlain(plain, tokens);
            if (at < 0) {
                break;
            }
            tokens.add(vocab.get(special));
            start = at + special.length();
        }
        long[] ids = new long[maxTokens];
        Arrays.fill(ids, padId);
        int n = Math.min(tokens.size(), maxTokens - 2);
        ids[0] = bosId;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = tokens.get(i);
        }
        ids[n + 1] = eosId;
        return ids;
    }

    private void encodePlain(String text, List<Integer> out) {
        if (text.isEmpty()) {
            return;
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        normalized = lowerCase(WHITESPACE.matcher(normalized).replaceAll(" "));
        Matcher m = WORD.matcher(normalized);
        while (m.find()) {
            for (int id : word(m.group())) {
                out.add(id);
            }
        }
    }

    /**
     * Lower-cases code point by code point with the full Unicode mappings (İ becomes i plus a combining
     * dot) but without context: the tokenizers library does not apply Greek final sigma, so neither
     * may this (Java's {@code String.toLowerCase} would turn a word-final Σ into ς).
     */
    static String lowerCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 128) {
                out.append((char) Character.toLowerCase(cp));
            } else {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)); // alone: no final-sigma context
            }
        });
        return out.toString();
    }

    /** The BPE ids of one word, cached. */
    private int[] word(String word) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = bpe(word);
            if (cache.size() < CACHE_LIMIT) {
                cache.put(word, ids);
            }
        }
        return ids;
    }

    private int[] bpe(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            parts.add(byteSymbols[b & 0xff]);
        }
        parts.set(parts.size() - 1, parts.get(parts.size() - 1) + END_OF_WORD);
        while (parts.size() > 1) {
            int best = Integer.MAX_VALUE;
            String left = null;
            String right = null;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    left = parts.get(i);
                    right = parts.get(i + 1);
                }
            }
            if (left == null) {
                break;
            }
            List<String> merged = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                if (i + 1 < parts.size() && parts.get(i).equals(left) && parts.get(i + 1).equals(right)) {
                    merged.add(left + right);
                    i++;
                } else {
                    merged.add(parts.get(i));
                }
            }
            parts = merged;
        }
        int[] ids = new int[parts.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.getOrDefault(parts.get(i), unkId);
        }
        return ids;
    }

    /**
     * GPT-2's and CLIP's reversible map from the 256 byte values to printable characters: the printable
     * Latin-1 bytes map to themselves, the others to code points from 256 upwards, in byte order.
     */
    private static String[] byteSymbols() {
        String[] symbols = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            symbols[b] = new String(Character.toChars(printable ? b : next++));
        }
        return symbols;
    }
}
