package org.parisjava.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads WebDataset .tar shards as one stream of samples, holding one sample's members at a time.
 *
 * <p>WebDataset's convention: consecutive tar members that share a key (the member path up to the
 * first dot of its file name) form one sample; the rest of the name is the field. A sample needs an
 * image ({@code jpg}, {@code jpeg}, {@code png}, {@code bmp}) and a {@code txt} caption; an optional
 * {@code json} contributes its top-level strings and numbers as attributes. {@code .tar.gz} and
 * {@code .tgz} shards are gunzipped on the fly.
 *
 * <p>A damaged sample (undecodable image, missing caption) is handled by the {@link ErrorPolicy}; a
 * damaged shard (truncated tar) ends that shard, counted once, and reading goes on with the next.
 */
public final class WebDatasetReader implements Iterator<Sample>, Closeable {
    static final List<String> IMAGE_FIELDS = List.of("jpg", "jpeg", "png", "bmp");
    /** A larger member is not an image a dataset of small pictures should hold in memory. */
    static final long MAX_MEMBER_BYTES = 64L << 20;

    private final List<Path> shards;
    private final ImageSpec spec;
    private final ErrorPolicy policy;
    private final SkipStats skipStats;

    private int shardIndex = -1;
    private Path shard;
    private TarArchiveInputStream tar;
    /** The first member of the next sample, read while finishing the previous one. */
    private String heldKey;
    private String heldField;
    private byte[] heldBytes;
    private Sample next;
    /** The key whose members are being read, for naming the sample when a shard breaks. */
    private String readingKey;

    public WebDatasetReader(List<Path> shards, ImageSpec spec, ErrorPolicy policy, SkipStats skipStats) {
        this.shards = List.copyOf(shards);
        this.spec = spec;
        this.policy = policy;
        this.skipStats = skipStats;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Sample s = next;
        next = null;
        return s;
    }

    /** The next good sample of any remaining shard, or null at the end of the last shard. */
    private Sample advance() {
        while (true) {
            if (tar == null && !openNextShard()) {
                return null;
            }
            try {
                Map<String, byte[]> fields = new HashMap<>();
                String key = readGroup(fields);
                if (key == null) {
                    closeShard();
                    continue;
                }
                try {
                    return build(key, fields);
                } catch (CorruptSampleException e) {
                    policy.handle(e, skipStats);
                }
            } catch (IOException e) {
                String where = readingKey != null ? readingKey : "the first member";
                CorruptSampleException problem = new CorruptSampleException(shard.toString(), where,
                        "damaged tar, rest of shard unreadable: " + e.getMessage(), e);
                closeShard();
                policy.handle(problem, skipStats);
            }
        }
    }

    private boolean openNextShard() {
        while (++shardIndex < shards.size()) {
            shard = shards.get(shardIndex);
            try {
                InputStream in = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
                String n = shard.getFileName().toString();
                if (n.endsWith(".gz") || n.endsWith(".tgz")) {
                    in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
                }
                tar = new TarArchiveInputStream(in);
                heldKey = null;
                return true;
            } catch (IOException e) {
                policy.handle(new CorruptSampleException(shard.toString(), "shard", "cannot open: " + e, e), skipStats);
            }
        }
        return false;
    }

    /** Collects the members of one key into {@code fields}; returns the key, or null at end of shard. */
    private String readGroup(Map<String, byte[]> fields) throws IOException {
        String key = null;
        readingKey = null;
        if (heldKey != null) {
            key = heldKey;
            readingKey = key;
            fields.put(heldField, heldBytes);
            heldKey = null;
        }
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) {
                continue;
            }
            String name = e.getName();
            int slash = name.lastIndexOf('/');
            int dot = name.indexOf('.', slash + 1);
            if (dot <= slash + 1) {
                continue; // no field (or a hidden file such as ._foo): not a WebDataset member
            }
            String memberKey = name.substring(0, dot);
            String field = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (key == null) {
                readingKey = memberKey;
            }
            if (e.getSize() > MAX_MEMBER_BYTES) {
                throw new IOException("member " + name + " has " + e.getSize() + " bytes (limit " + MAX_MEMBER_BYTES + ")");
            }
            byte[] bytes = tar.readAllBytes();
            if (key == null) {
                key = memberKey;
                readingKey = key;
            } else if (!key.equals(memberKey)) {
                heldKey = memberKey;
                heldField = field;
                heldBytes = bytes;
                return key;
            }
            fields.put(field, bytes);
        }
        return key;
    }

    private Sample build(String key, Map<String, byte[]> fields) {
        String file = shard.toString();
        byte[] image = null;
        for (String f : IMAGE_FIELDS) {
            if (fields.containsKey(f)) {
                image = fields.get(f);
                break;
            }
        }
        if (image == null) {
            throw new CorruptSampleException(file, key, "no image member (expected one of " + IMAGE_FIELDS
                    + ", found " + fields.keySet() + ")", null);
        }
        byte[] txt = fields.get("txt");
        if (txt == null) {
            throw new CorruptSampleException(file, key, "no .txt caption member (found " + fields.keySet() + ")", null);
        }
        Map<String, String> attributes = new HashMap<>();
        byte[] json = fields.get("json");
        if (json != null) {
            try {
                JsonElement root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
                if (root.isJsonObject()) {
                    JsonObject o = root.getAsJsonObject();
                    for (var entry : o.entrySet()) {
                        if (entry.getValue().isJsonPrimitive()) {
                            attributes.put(entry.getKey(), entry.getValue().getAsString());
                        }
                    }
                }
            } catch (RuntimeException ex) {
                throw new CorruptSampleException(file, key, "bad .json member: " + ex.getMessage(), ex);
            }
        }
        ImageU8 pixels = ImageDecoder.decode(image, spec, file, key);
        return new Sample(key, pixels, new String(txt, StandardCharsets.UTF_8).strip(), attributes);
    }

    private void closeShard() {
        if (tar != null) {
            try {
                tar.close();
            } catch (IOException ignored) {
                // reading is over for this shard; a close failure loses nothing
            }
            tar = null;
        }
        heldKey = null;
    }

    @Override
    public void close() {
        closeShard();
        shardIndex = shards.size();
    }
}
