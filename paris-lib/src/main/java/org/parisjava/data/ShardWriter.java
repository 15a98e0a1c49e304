package org.parisjava.data;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.parisjava.io.Json;

/**
 * Writes one cluster's samples as a shard: {@code images.u8} (raw C,H,W bytes, one image after
 * another), {@code samples.jsonl} (id, caption, attributes per line) and, on {@link #close()},
 * {@code manifest.json}. Data files are written under temporary names and renamed before the
 * manifest, so a crash never leaves a shard that looks complete.
 */
public final class ShardWriter implements AutoCloseable {
    private final Path dir;
    private final int cluster;
    private final ImageSpec spec;
    private final String source;
    private final long seed;
    private final List<String> attributeNames;
    private final Path imagesTmp;
    private final Path samplesTmp;
    private final OutputStream images;
    private final BufferedWriter samples;
    private final MessageDigest imagesDigest;
    private final MessageDigest samplesDigest;
    private long count;
    private boolean closed;

    public ShardWriter(Path dir, int cluster, ImageSpec spec, String source, long seed, List<String> attributeNames) {
        if (!spec.isPixels()) {
            throw new IllegalArgumentException("A shard holds pixel images of 1 or 3 channels, not " + spec
                    + " (latents are added by ShardLatentsWriter)");
        }
        this.dir = dir;
        this.cluster = cluster;
        this.spec = spec;
        this.source = source;
        this.seed = seed;
        this.attributeNames = List.copyOf(attributeNames);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(ShardManifest.FILE));
            imagesDigest = MessageDigest.getInstance("SHA-256");
            samplesDigest = MessageDigest.getInstance("SHA-256");
            imagesTmp = dir.resolve(ShardManifest.IMAGES + ".tmp");
            samplesTmp = dir.resolve(ShardManifest.SAMPLES + ".tmp");
            images = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(imagesTmp), 1 << 16), imagesDigest);
            samples = new BufferedWriter(new java.io.OutputStreamWriter(
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(samplesTmp)), samplesDigest),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create shard in " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void add(Sample s) {
        if (closed) {
            throw new IllegalStateException("Shard writer for " + dir + " is closed");
        }
        if (!spec.matches(s.image())) {
            throw new IllegalArgumentException("Sample '" + s.id() + "' has shape " + s.image().channels() + "x"
                    + s.image().height() + "x" + s.image().width() + ", shard " + dir + " expects "
                    + spec.channels() + "x" + spec.height() + "x" + spec.width());
        }
        try {
            images.write(s.image().chw());
            writeSampleLine(samples, s, attributeNames);
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write shard " + dir, e);
        }
    }

    /**
     * One samples.jsonl line: {"id":..,"caption":..,"attributes":{..}} and a newline, written straight into
     * {@code out} by Gson's streaming writer, the same writer and settings {@code JsonObject.toString()} uses,
     * so the bytes are those of building the object first (tested), without the object and the string per
     * sample. Attributes in a fixed order (the dataset's attribute names, then any others sorted): a
     * {@code Map.of}'s iteration order changes from one JVM to the next, and the shard's checksum with it.
     */
    static void writeSampleLine(java.io.Writer out, Sample s, List<String> attributeNames) throws IOException {
        JsonWriter w = new JsonWriter(out); // no buffer of its own, and never closed: out stays open
        w.setStrictness(Strictness.LENIENT);
        w.beginObject();
        w.name("id").value(s.id());
        w.name("caption").value(s.caption());
        java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
        for (String name : attributeNames) {
            String v = s.attributes().get(name);
            if (v != null) {
                a.put(name, v);
            }
        }
        if (a.size() < s.attributes().size()) {
            new java.util.TreeMap<>(s.attributes()).forEach((k, v) -> {
                if (!a.containsKey(k)) {
                    a.put(k, v);
                }
            });
        }
        w.name("attributes").beginObject();
        for (java.util.Map.Entry<String, String> e : a.entrySet()) {
            w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
        w.endObject();
        out.write('\n');
    }

    public long count() {
        return count;
    }

    /** Finishes the shard: data files renamed into place, then the manifest written atomically. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            images.close();
            samples.close();
            Files.move(imagesTmp, dir.resolve(ShardManifest.IMAGES), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(samplesTmp, dir.resolve(ShardManifest.SAMPLES), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish shard " + dir, e);
        }
        String sha = combinedDigest(imagesDigest.digest(), samplesDigest.digest());
        Json.write(dir.resolve(ShardManifest.FILE), new ShardManifest(cluster, count, spec.channels(), spec.height(),
                spec.width(), sha, source, seed, attributeNames));
    }

    static String combinedDigest(byte[] images, byte[] samples) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(images);
            md.update(samples);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
