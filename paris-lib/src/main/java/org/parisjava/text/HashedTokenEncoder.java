package org.parisjava.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default frozen text encoder: needs no weights and is identical in every process.
 *
 * <p>A caption is lower-cased and split into word tokens (runs of letters and digits). Each word maps
 * to a fixed random vector, N(0, 1) per entry, drawn from a generator seeded by a 64-bit hash of the
 * word and the encoder seed; a fixed sine-cosine position vector (amplitude 0.5) is added so word order
 * is visible. Captions longer than {@code maxTokens} words are truncated.
 *
 * <p>The empty caption (or one with no word at all) encodes to a dedicated NULL token at position 0
 * (a fixed random vector seeded by {@code "<null>"}) with mask [1, 0, ..., 0]. Classifier-free
 * guidance uses it as the unconditional input; it is never all-masked, so attention always has a key.
 */
public final class HashedTokenEncoder implements TextEncoder {

    /** The token the empty caption encodes to. */
    public static final String NULL_TOKEN = "<null>";

    private final int dim;
    private final int maxTokens;
    private final long seed;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public HashedTokenEncoder(int dim, int maxTokens, long seed) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("Hashed text width must be positive and even: " + dim);
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("Invalid number of text tokens: " + maxTokens);
        }
        this.dim = dim;
        this.maxTokens = maxTokens;
        this.seed = seed;
    }

    /** Seed 0, the project-wide default. */
    public HashedTokenEncoder(int dim, int maxTokens) {
        this(dim, maxTokens, 0L);
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public String describe() {
        return "hashed(dim=" + dim + ",tokens=" + maxTokens + ",seed=" + seed + ")";
    }

    /** The word tokens of a caption, lower-cased, in order, not truncated. */
    public static List<String> words(String caption) {
        List<String> out = new ArrayList<>();
        String s = caption.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && !Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    @Override
    public TextBatch encode(List<String> captions, NDManager manager) {
        int b = captions.size();
        float[] tokens = new float[b * maxTokens * dim];
        float[] mask = new float[b * maxTokens];
        for (int i = 0; i < b; i++) {
            String caption = captions.get(i);
            if (caption == null) {
                throw new IllegalArgumentException("Caption " + i + " of the batch is null (use \"\" for none)");
            }
            List<String> words = words(caption);
            if (words.isEmpty()) {
                words = List.of(NULL_TOKEN);
            }
            int n = Math.min(words.size(), maxTokens);
            for (int p = 0; p < n; p++) {
                float[] v = vector(words.get(p));
                int off = (i * maxTokens + p) * dim;
                for (int j = 0; j < dim; j++) {
                    tokens[off + j] = v[j] + position(p, j);
                }
                mask[i * maxTokens + p] = 1f;
            }
        }
        NDArray t = manager.create(tokens, new Shape(b, maxTokens, dim)); // (B, L, Dt)
        NDArray m = manager.create(mask, new Shape(b, maxTokens)); // (B, L)
        return new TextBatch(t, m);
    }

    private float position(int p, int j) {
        int half = dim / 2;
        int i = j % half;
        double w = Math.pow(10000.0, -(double) i / half);
        return 0.5f * (float) (j < half ? Math.sin(p * w) : Math.cos(p * w));
    }

    private float[] vector(String word) {
        return cache.computeIfAbsent(word, w -> {
            SplittableRandom rng = new SplittableRandom(hash(w) ^ (seed * 0x9E3779B97F4A7C15L));
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) gaussian(rng);
            }
            return v;
        });
    }

    /** 64-bit FNV-1a of the UTF-8 bytes: stable across JVMs, unlike String.hashCode's 32 bits. */
    static long hash(String word) {
        long h = 0xcbf29ce484222325L;
        for (byte x : word.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
