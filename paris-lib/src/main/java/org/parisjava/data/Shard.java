package org.parisjava.data;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.parisjava.io.Json;

/**
 * One cluster's samples on disk, as written by {@link ShardWriter}. An expert opens its own shard
 * and nothing else. {@link #open} checks the manifest, the file sizes and the checksum, so a
 * truncated or tampered shard is refused with the reason.
 *
 * <p>A shard holds the images as bytes and, when the run diffuses in a latent space, their latents as
 * written once by the run's codec ({@link ShardLatentsWriter}); experts and router train on
 * {@link #trainingToFloat}, the evaluation and the figures read the images.
 *
 * <p>The whole shard is loaded into memory (a demo shard is a few MB; at paper scale a shard is a
 * WebDataset stream instead).
 */
public final class Shard implements ImageCaptionDataset {
    private final Path dir;
    private final ShardManifest manifest;
    private final byte[] pixels;
    private final float[] latents;
    private final List<String> ids;
    private final List<String> captions;
    private final List<Map<String, String>> attributes;

    private Shard(Path dir, ShardManifest manifest, byte[] pixels, float[] latents, List<String> ids,
                  List<String> captions, List<Map<String, String>> attributes) {
        this.dir = dir;
        this.manifest = manifest;
        this.pixels = pixels;
        this.latents = latents;
        this.ids = ids;
        this.captions = captions;
        this.attributes = attributes;
    }

    /** True when {@code dir} holds a finished shard (its manifest exists). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(ShardManifest.FILE));
    }

    public static ShardManifest readManifest(Path dir) {
        if (!exists(dir)) {
            throw new IllegalArgumentException("No shard in " + dir + " (missing " + ShardManifest.FILE
                    + "; was the clustering stage run, and did it finish?)");
        }
        return Json.read(dir.resolve(ShardManifest.FILE), ShardManifest.class);
    }

    public static Shard open(Path dir) {
        ShardManifest m = readManifest(dir);
        try {
            byte[] px = Files.readAllBytes(dir.resolve(ShardManifest.IMAGES));
            long expected = m.count() * m.spec().numel();
            if (px.length != expected) {
                throw new IllegalArgumentException("Shard " + dir + " is damaged: " + ShardManifest.IMAGES + " has "
                        + px.length + " bytes, the manifest says " + m.count() + " images = " + expected + " bytes");
            }
            byte[] jsonl = Files.readAllBytes(dir.resolve(ShardManifest.SAMPLES));
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            String sha = ShardWriter.combinedDigest(a.digest(px), b.digest(jsonl));
            if (!sha.equals(m.sha256())) {
                throw new IllegalArgumentException("Shard " + dir + " is damaged: checksum " + sha
                        + " does not match the manifest's " + m.sha256());
            }
            List<String> ids = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            List<Map<String, String>> attrs = new ArrayList<>();
            String[] lines = new String(jsonl, StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                ids.add(o.get("id").getAsString());
                caps.add(o.get("caption").getAsString());
                Map<String, String> at = new LinkedHashMap<>();
                o.getAsJsonObject("attributes").entrySet().forEach(en -> at.put(en.getKey(), en.getValue().getAsString()));
                attrs.add(Map.copyOf(at));
            }
            if (ids.size() != m.count()) {
                throw new IllegalArgumentException("Shard " + dir + " is damaged: " + ids.size()
                        + " caption lines, the manifest says " + m.count());
            }
            return new Shard(dir, m, px, readLatents(dir, m), List.copyOf(ids), List.copyOf(caps),
                    List.copyOf(attrs));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read shard " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latents named by the manifest, checked against its size and checksum; null for a pixel shard. */
    private static float[] readLatents(Path dir, ShardManifest m) throws IOException, NoSuchAlgorithmException {
        ShardManifest.Latents l = m.latents();
        if (l == null) {
            return null;
        }
        Path f = dir.resolve(ShardManifest.LATENTS);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("Shard " + dir + " is damaged: its manifest names latents ("
                    + l.codec() + ") but " + ShardManifest.LATENTS + " is missing");
        }
        byte[] raw = Files.readAllBytes(f);
        long expected = m.count() * l.spec().numel() * (long) Float.BYTES;
        if (raw.length != expected) {
            throw new IllegalArgumentException("Shard " + dir + " is damaged: " + ShardManifest.LATENTS + " has "
                    + raw.length + " bytes, the manifest says " + m.count() + " latents of " + l.spec() + " = "
                    + expected + " bytes");
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        if (!sha.equals(l.sha256())) {
            throw new IllegalArgumentException("Shard " + dir + " is damaged: " + ShardManifest.LATENTS
                    + " has checksum " + sha + ", the manifest says " + l.sha256());
        }
        float[] out = new float[raw.length / Float.BYTES];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public Path dir() {
        return dir;
    }

    public ShardManifest manifest() {
        return manifest;
    }

    public int count() {
        return ids.size();
    }

    public ImageU8 image(int i) {
        int n = manifest.spec().numel();
        byte[] chw = new byte[n];
        System.arraycopy(pixels, i * n, chw, 0, n);
        return new ImageU8(manifest.channels(), manifest.height(), manifest.width(), chw);
    }

    /** Writes image i scaled to [-1, 1] into out at offset, without allocating. */
    public void imageToFloat(int i, float[] out, int offset) {
        int n = manifest.spec().numel();
        int base = i * n;
        for (int j = 0; j < n; j++) {
            out[offset + j] = (pixels[base + j] & 0xFF) / 127.5f - 1f;
        }
    }

    /** Whether the shard holds latents of its images (see {@link ShardManifest#latents()}). */
    public boolean hasLatents() {
        return latents != null;
    }

    /** The shape experts and router train on: the latents' (C, H, W), or the images' in pixel space. */
    public ImageSpec trainingSpec() {
        return manifest.trainingSpec();
    }

    /**
     * Writes what a model trains on for sample i into out at offset: its scaled latents when the shard
     * has latents, else its pixels in [-1, 1] ({@link #imageToFloat}); {@code trainingSpec().numel()} values.
     */
    public void trainingToFloat(int i, float[] out, int offset) {
        if (latents == null) {
            imageToFloat(i, out, offset);
            return;
        }
        int n = manifest.latents().spec().numel();
        System.arraycopy(latents, i * n, out, offset, n);
    }

    public String caption(int i) {
        return captions.get(i);
    }

    public Sample sample(int i) {
        return new Sample(ids.get(i), image(i), captions.get(i), attributes.get(i));
    }

    @Override
    public String name() {
        return "shard:" + dir.getFileName() + "(" + manifest.source() + ")";
    }

    @Override
    public ImageSpec spec() {
        return manifest.spec();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(count());
    }

    @Override
    public List<String> attributeNames() {
        return manifest.attributeNames() == null ? List.of() : manifest.attributeNames();
    }

    @Override
    public Stream<Sample> stream() {
        return IntStream.range(0, count()).mapToObj(this::sample);
    }

}
