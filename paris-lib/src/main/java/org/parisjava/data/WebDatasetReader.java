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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WebDataset .tar shards as one stream of samples, holding one sample's members at a time.
 *
 * <p>WebDataset's convention: consecutive tar members that share a key (the member path up to the
 * first dot of its base name) form one sample; the rest of the name is the field. A sample needs an
 * image ({@code jpg}, {@code jpeg}, {@code png}, {@code bmp}) and a {@code txt} caption (UTF-8, a
 * byte-order mark ignored); an optional {@code json} contributes its top-level strings and numbers
 * as attributes. {@code .tar.gz} and {@code .tgz} shards are gunzipped on the fly.
 *
 * <p>Each shard's headers are checked first ({@link ShardLayout}): a key whose members are not
 * adjacent, or a member that appears twice, refuses that sample with the fix (re-tar sorted by
 * name). A member over {@link InputLimits#maxMemberBytes()} refuses its sample without being read,
 * and reading goes on with the next sample. Refused samples, undecodable images and missing
 * captions are handled by the {@link ErrorPolicy} and counted once per sample (key) in
 * {@link SkipStats}, orphan members included. A damaged shard (truncated tar) ends that shard,
 * counted once, and reading goes on with the next shard.
 */
public final class WebDatasetReader implements Iterator<Sample>, Closeable {
    static final List<String> IMAGE_FIELDS = List.of("jpg", "jpeg", "png", "bmp");

    private static final Logger LOG = LoggerFactory.getLogger(WebDatasetReader.class);

    private final List<Path> shards;
    private final ImageSpec spec;
    private final ErrorPolicy policy;
    private final SkipStats skipStats;
    private final InputLimits limits;

    private int shardIndex = -1;
    private Path shard;
    private TarArchiveInputStream tar;
    /** Samples of the open shard refused from its headers: key to reason. */
    private Map<String, String> refused = Map.of();
    /** The first member of the next sample, met while finishing the previous one; its data is unread. */
    private TarArchiveEntry held;
    private Sample next;
    /** The key whose members are being read, for naming the sample when a shard breaks. */
    private String readingKey;

    /** The members of one key, or the reason the sample is refused (then its members are not read). */
    private static final class Group {
        final String key;
        final Map<String, byte[]> fields = new HashMap<>();
        final Map<String, String> names = new HashMap<>();
        String problem;

        Group(String key, String problem) {
            this.key = key;
            this.problem = problem;
        }
    }

    public WebDatasetReader(List<Path> shards, ImageSpec spec, ErrorPolicy policy, SkipStats skipStats) {
        this(shards, spec, policy, skipStats, InputLimits.defaults());
    }

    public WebDatasetReader(List<Path> shards, ImageSpec spec, ErrorPolicy policy, SkipStats skipStats,
                            InputLimits limits) {
        this.shards = List.copyOf(shards);
        this.spec = spec;
        this.policy = policy;
        this.skipStats = skipStats;
        this.limits = limits;
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
            Group group;
            try {
                group = readGroup();
            } catch (IOException e) {
                String where = readingKey != null ? readingKey : "the first member";
                CorruptSampleException problem = new CorruptSampleException(shard.toString(), where,
                        "damaged tar, rest of shard unreadable: " + e.getMessage(), e);
                closeShard();
                policy.handle(problem, skipStats);
                continue;
            }
            if (group == null) {
                closeShard();
                continue;
            }
            try {
                return build(group);
            } catch (CorruptSampleException e) {
                policy.handle(e, skipStats);
            }
        }
    }

    private boolean openNextShard() {
        while (++shardIndex < shards.size()) {
            shard = shards.get(shardIndex);
            try {
                refused = ShardLayout.problems(shard);
            } catch (IOException e) {
                // The stream below meets the same damage and reports it where it is.
                LOG.debug("Cannot check the layout of {}: {}", shard, e.toString());
                refused = Map.of();
            }
            if (!refused.isEmpty()) {
                LOG.warn("{}: {} sample(s) break WebDataset's layout and are refused, first {}: {}", shard,
                        refused.size(), refused.keySet().iterator().next(), refused.values().iterator().next());
            }
            try {
                InputStream in = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
                String n = shard.getFileName().toString();
                if (n.endsWith(".gz") || n.endsWith(".tgz")) {
                    in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
                }
                tar = new TarArchiveInputStream(in);
                held = null;
                return true;
            } catch (IOException e) {
                policy.handle(new CorruptSampleException(shard.toString(), "shard", "cannot open: " + e, e), skipStats);
            }
        }
        return false;
    }

    /** The members of the next key, or null at the end of the shard. */
    private Group readGroup() throws IOException {
        Group g = null;
        readingKey = null;
        TarArchiveEntry e = held != null ? held : tar.getNextEntry();
        held = null;
        for (; e != null; e = tar.getNextEntry()) {
            ShardLayout.Member m = e.isFile() ? ShardLayout.Member.of(e.getName()) : null;
            if (m == null) {
                continue;
            }
            if (g == null) {
                g = new Group(m.key(), refused.get(m.key()));
            } else if (!g.key.equals(m.key())) {
                held = e; // the tar stream stays at this member's data for the next call
                return g;
            }
            readingKey = g.key;
            if (g.problem != null) {
                continue; // refused: its members are skipped unread
            }
            if (e.getSize() > limits.maxMemberBytes()) {
                g.problem = String.format(Locale.ROOT, "member %s has %,d bytes, over the limit of %,d bytes per member"
                        + " (not read; the other samples are)", e.getName(), e.getSize(), limits.maxMemberBytes());
            } else if (g.fields.containsKey(m.field())) {
                g.problem = "member " + e.getName() + " appears twice in a row; " + ShardLayout.FIX
                        + ", from the source files and without duplicates";
            } else {
                g.fields.put(m.field(), tar.readAllBytes());
                g.names.put(m.field(), e.getName());
            }
        }
        return g;
    }

    private Sample build(Group g) {
        String file = shard.toString();
        String key = g.key;
        if (g.problem != null) {
            throw new CorruptSampleException(file, key, g.problem, null);
        }
        Map<String, byte[]> fields = g.fields;
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
        String caption;
        try {
            caption = CaptionText.caption(txt, g.names.get("txt"));
        } catch (CaptionText.NotUtf8Exception e) {
            throw new CorruptSampleException(file, key, e.getMessage(), e);
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
        ImageU8 pixels = ImageDecoder.decode(image, spec, limits, file, key);
        return new Sample(key, pixels, caption, attributes);
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
        held = null;
        refused = Map.of();
    }

    @Override
    public void close() {
        closeShard();
        shardIndex = shards.size();
    }
}
