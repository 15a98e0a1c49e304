package org.parisjava.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.parisjava.io.AtomicFiles;

/**
 * Feature vectors on disk, shard by shard, so a data set of any size is clustered without holding its
 * features: at the paper's scale (11M images, DINOv2 ViT-L/14 features of width 1024) they are 45 GB
 * of float32. A folder holds {@code features-00000.f32}, {@code features-00001.f32}, ... in row
 * order; each file is a 16-byte header (magic {@code PFEAT001}, rows as int32, dimension as int32,
 * little-endian) followed by rows x dimension little-endian float32 values.
 *
 * <p>{@link #write} writes one shard atomically; {@link #forEachBatch} streams every row of the folder
 * in order in batches of a fixed size, reading one batch at a time.
 */
public final class FeatureShards {
    private static final byte[] MAGIC = {'P', 'F', 'E', 'A', 'T', '0', '0', '1'};
    private static final int HEADER = 16;

    private final Path dir;
    private final List<Path> files;
    private final int dimension;
    private final long rows;

    private FeatureShards(Path dir, List<Path> files, int dimension, long rows) {
        this.dir = dir;
        this.files = files;
        this.dimension = dimension;
        this.rows = rows;
    }

    /** The name of shard {@code index} in a folder. */
    public static String shardName(int index) {
        return String.format(java.util.Locale.ROOT, "features-%05d.f32", index);
    }

    /**
     * Writes {@code rows} (N, D) of one shard to {@code file}, atomically.
     *
     * @throws IllegalArgumentException on ragged rows
     */
    public static void write(Path file, float[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        AtomicFiles.writeChannel(file, ch -> {
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(rows.length).putInt(d).flip();
            while (head.hasRemaining()) {
                ch.write(head);
            }
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(4, d * 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != d) {
                    throw new IllegalArgumentException("Ragged features at row " + i + " of " + file + ": "
                            + rows[i].length + " values, row 0 has " + d);
                }
                b.clear();
                b.asFloatBuffer().put(rows[i]);
                b.limit(d * 4);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        });
    }

    /**
     * Opens the shards of {@code dir}, checking every header.
     *
     * @throws IllegalArgumentException if there are none, a header is bad, a file is truncated, or the
     *                                  dimensions differ (naming the file)
     */
    public static FeatureShards open(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("features-\\d{5}\\.f32")).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("No feature folder " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No features-NNNNN.f32 shards in " + dir);
        }
        int dim = -1;
        long total = 0;
        for (Path f : files) {
            int[] h = header(f);
            if (dim >= 0 && h[1] != dim) {
                throw new IllegalArgumentException("Feature shard " + f + " has dimension " + h[1] + ", "
                        + files.get(0) + " has " + dim);
            }
            dim = h[1];
            total += h[0];
        }
        return new FeatureShards(dir, files, dim, total);
    }

    private static int[] header(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill
            }
            head.flip();
            byte[] magic = new byte[MAGIC.length];
            if (head.remaining() < HEADER || !java.util.Arrays.equals(getMagic(head, magic), MAGIC)) {
                throw new IllegalArgumentException("Feature shard " + f + " does not start with PFEAT001");
            }
            int rows = head.getInt();
            int dim = head.getInt();
            if (rows < 0 || dim < 1) {
                throw new IllegalArgumentException("Feature shard " + f + " has " + rows + " rows of dimension " + dim);
            }
            long expected = HEADER + (long) rows * dim * 4;
            if (ch.size() != expected) {
                throw new IllegalArgumentException("Feature shard " + f + " is " + ch.size() + " bytes, its header ("
                        + rows + " rows x " + dim + ") needs " + expected + ": truncated or corrupt");
            }
            return new int[] {rows, dim};
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + f, e);
        }
    }

    private static byte[] getMagic(ByteBuffer head, byte[] magic) {
        head.get(magic);
        return magic;
    }

    public Path dir() {
        return dir;
    }

    public int dimension() {
        return dimension;
    }

    /** Rows over all shards. */
    public long rows() {
        return rows;
    }

    public int shards() {
        return files.size();
    }

    /** Receives consecutive batches: {@code rows[0..count)} are rows {@code start..start+count) of the folder. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(float[][] rows, int count, long start);
    }

    /**
     * Streams every row in order, {@code batchSize} rows at a time (the last batch of the folder may be
     * shorter; a batch never spans two shards). The row arrays are reused between batches: copy what
     * you keep.
     */
    public void forEachBatch(int batchSize, BatchConsumer consumer) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Invalid batch size: " + batchSize);
        }
        float[][] batch = new float[batchSize][dimension];
        ByteBuffer buf = ByteBuffer.allocateDirect(batchSize * dimension * 4).order(ByteOrder.LITTLE_ENDIAN);
        long start = 0;
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long pos = HEADER;
                long end = ch.size();
                while (pos < end) {
                    int count = (int) Math.min(batchSize, (end - pos) / (4L * dimension));
                    buf.clear().limit(count * dimension * 4);
                    while (buf.hasRemaining()) {
                        int n = ch.read(buf, pos);
                        if (n < 0) {
                            throw new IllegalArgumentException("Feature shard " + f + " ended early");
                        }
                        pos += n;
                    }
                    buf.flip();
                    var floats = buf.asFloatBuffer();
                    for (int i = 0; i < count; i++) {
                        floats.get(batch[i]);
                    }
                    consumer.accept(batch, count, start);
                    start += count;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + f, e);
            }
        }
    }
}
