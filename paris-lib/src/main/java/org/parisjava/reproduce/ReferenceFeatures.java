package org.parisjava.reproduce;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.parisjava.eval.EvaluationFeatures;
import org.parisjava.io.AtomicFiles;
import org.parisjava.io.Json;
import org.parisjava.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real images' features of an evaluation, computed once per run and feature space and cached in
 * {@code eval/reference/KEY/} (features.bin, reference.json): a rerun, a re-evaluation with other
 * strategies or more sampling reuses them. The key is a hash of the feature space's name, the image
 * counts and the seed, and reference.json records them in full, so another feature model or another
 * split never reads a stale file.
 *
 * @param reference reference features (N, D)
 * @param heldOut   held-out real features (M, D), M may be 0
 */
record ReferenceFeatures(float[][] reference, float[][] heldOut) {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFeatures.class);
    static final String DIR = "reference";
    static final String FEATURES = "features.bin";
    static final String INFO = "reference.json";

    /** What a cache entry was made from. */
    record Key(String features, int reference, int heldOut, long seed, int dimension) {
    }

    static ReferenceFeatures loadOrCompute(RunLayout run, EvaluationFeatures features, EvaluationSet.Split split,
                                           long seed) {
        String id = features.name() + "|" + split.reference().size() + "|" + split.heldOut().size() + "|" + seed;
        Path dir = run.evalDir().resolve(DIR).resolve(hash(id));
        Path bin = dir.resolve(FEATURES);
        Path info = dir.resolve(INFO);
        if (Files.isRegularFile(bin) && Files.isRegularFile(info)) {
            Key k = Json.read(info, Key.class);
            if (k.features().equals(features.name()) && k.reference() == split.reference().size()
                    && k.heldOut() == split.heldOut().size() && k.seed() == seed) {
                LOG.info("real features in {} reused from {}", features.name(), dir);
                return read(bin, k);
            }
        }
        float[][] ref = features.features(split.referenceImages());
        float[][] held = split.heldOut().isEmpty() ? new float[0][] : features.features(split.heldOutImages());
        write(bin, ref, held);
        Json.write(info, new Key(features.name(), ref.length, held.length, seed, ref[0].length));
        LOG.info("real features in {} ({} reference, {} held out) cached in {}", features.name(), ref.length,
                held.length, dir);
        return new ReferenceFeatures(ref, held);
    }

    private static String hash(String id) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Big-endian float rows: the reference rows, then the held-out rows. */
    private static void write(Path bin, float[][] ref, float[][] held) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (float[][] set : new float[][][] {ref, held}) {
                for (float[] row : set) {
                    for (float v : row) {
                        out.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeBytes(bin, bytes.toByteArray());
    }

    private static ReferenceFeatures read(Path bin, Key k) {
        long expected = 4L * k.dimension() * (k.reference() + k.heldOut());
        try {
            if (Files.size(bin) != expected) {
                throw new IllegalStateException(bin + " holds " + Files.size(bin) + " bytes, expected " + expected
                        + " for " + k + "; delete it to recompute");
            }
            try (InputStream is = Files.newInputStream(bin);
                 DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
                return new ReferenceFeatures(rows(in, k.reference(), k.dimension()), rows(in, k.heldOut(), k.dimension()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + bin, e);
        }
    }

    private static float[][] rows(DataInputStream in, int n, int d) throws IOException {
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = in.readFloat();
            }
        }
        return out;
    }
}
