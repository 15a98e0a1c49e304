package org.parisjava.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Streams an IDX file (the MNIST format: a magic number {@code 0x0000 TT DD} with type TT and
 * DD dimensions, DD big-endian sizes, then the data), gzipped or not, one item at a time. Only
 * unsigned bytes (type 0x08) are supported, which is what (Fashion-)MNIST uses.
 */
public final class IdxReader implements Closeable {
    static final int UNSIGNED_BYTE = 0x08;

    private final Path file;
    private final DataInputStream in;
    private final int count;
    private final int[] itemDims;
    private final int itemBytes;
    private int read;

    private IdxReader(Path file, DataInputStream in, int count, int[] itemDims) {
        this.file = file;
        this.in = in;
        this.count = count;
        this.itemDims = itemDims;
        int bytes = 1;
        for (int d : itemDims) {
            bytes *= d;
        }
        this.itemBytes = bytes;
    }

    /**
     * Opens {@code file} and checks its header: unsigned bytes, {@code dims} dimensions, and
     * positive sizes. A bad header throws a {@link CorruptSampleException} naming the file.
     */
    public static IdxReader open(Path file, int dims) {
        InputStream raw = null;
        try {
            raw = Files.newInputStream(file);
            InputStream body = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                body = new BufferedInputStream(new GZIPInputStream(body, 1 << 16), 1 << 16);
            }
            DataInputStream in = new DataInputStream(body);
            int magic = in.readInt();
            int expected = (UNSIGNED_BYTE << 8) | dims;
            if (magic != expected) {
                throw new CorruptSampleException(file.toString(), "header", String.format(
                        "bad IDX magic number 0x%08X (expected 0x%08X: unsigned bytes, %d dimensions)",
                        magic, expected, dims), null);
            }
            int count = in.readInt();
            int[] itemDims = new int[dims - 1];
            for (int i = 0; i < itemDims.length; i++) {
                itemDims[i] = in.readInt();
            }
            if (count < 0 || Arrays.stream(itemDims).anyMatch(d -> d <= 0)) {
                throw new CorruptSampleException(file.toString(), "header", "invalid IDX sizes: "
                        + count + " items of " + Arrays.toString(itemDims), null);
            }
            return new IdxReader(file, in, count, itemDims);
        } catch (EOFException e) {
            closeQuietly(raw);
            throw new CorruptSampleException(file.toString(), "header", "file ends inside the IDX header", e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new CorruptSampleException(file.toString(), "header", "cannot read IDX header: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    private static void closeQuietly(InputStream s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Number of items the header announces. */
    public int count() {
        return count;
    }

    /** Sizes of one item (e.g. {28, 28} for images, {} for labels). */
    public int[] itemDims() {
        return itemDims.clone();
    }

    public int itemBytes() {
        return itemBytes;
    }

    /** Reads the next item into {@code buf}; a file that ends early names the item it stopped at. */
    public void next(byte[] buf) {
        if (read >= count) {
            throw new IllegalStateException("All " + count + " items of " + file + " already read");
        }
        try {
            in.readFully(buf, 0, itemBytes);
            read++;
        } catch (EOFException e) {
            throw new CorruptSampleException(file.toString(), "item " + read,
                    "file ends after " + read + " of " + count + " items (truncated download?)", e);
        } catch (IOException e) {
            throw new CorruptSampleException(file.toString(), "item " + read, "cannot read: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close " + file, e);
        }
    }
}
