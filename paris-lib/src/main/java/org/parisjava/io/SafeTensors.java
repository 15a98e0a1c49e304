package org.parisjava.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format that Python's {@code safetensors} reads: an 8-byte
 * little-endian header length N, N bytes of JSON
 * ({@code {"__metadata__": {...}, "name": {"dtype", "shape", "data_offsets": [begin, end]}}},
 * padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
 *
 * <p>Offsets are {@code long}: a DiT-XL/2 expert in fp32 is about 2.4 GB. Tensors are streamed
 * to the file one at a time, so writing never holds more than one tensor's bytes on the heap.
 * (DJL's own safetensors codec keeps offsets as {@code int} and builds one array, hence this class.)
 */
public final class SafeTensors {
    private static final Gson COMPACT = new Gson();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    public record Entry(String name, TensorDType dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The parsed header: entries in file order, the metadata map, where the data begins. */
    public record Header(Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /** Writes {@code tensors} (in map order) in their own dtypes, atomically. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        AtomicFiles.write(file, out -> writeTo(out, tensors, metadata));
    }

    static void writeTo(OutputStream out, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            // sorted: Map.of iterates in a per-JVM random order, and the bytes must not depend on the process
            new java.util.TreeMap<>(metadata).forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("A tensor may not be named __metadata__");
            }
            NDArray a = e.getValue();
            TensorDType dt = TensorDType.of(a.getDataType());
            long bytes = a.getShape().size() * dt.bytes();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", dt.name());
            JsonArray shape = new JsonArray();
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + bytes);
            o.add("data_offsets", offs);
            header.add(e.getKey(), o);
            offset += bytes;
        }
        byte[] json = COMPACT.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the reference pads so the data starts 8-aligned
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        byte[] chunk = new byte[1 << 16];
        for (NDArray a : tensors.values()) {
            // DJL hands back native order; this project runs on little-endian hosts (x86-64, arm64)
            ByteBuffer b = a.toByteBuffer();
            while (b.hasRemaining()) {
                int n = Math.min(chunk.length, b.remaining());
                b.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** Reads and validates the header only. */
    public static Header readHeader(Path file) {
        try (FileChannel ch = open(file)) {
            return readHeader(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Reads every tensor into {@code manager}, in file order. */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel ch = open(file)) {
            Header h = readHeader(file, ch);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Entry e : h.entries().values()) {
                long size = e.end() - e.begin();
                if (size > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("Tensor " + e.name() + " in " + file + " is " + size
                            + " bytes, more than one buffer holds");
                }
                ByteBuffer buf = ByteBuffer.allocateDirect((int) size).order(ByteOrder.nativeOrder());
                long pos = h.dataStart() + e.begin();
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new IllegalArgumentException("File " + file + " is truncated inside tensor " + e.name());
                    }
                    pos += n;
                }
                buf.flip();
                out.put(e.name(), manager.create(buf, new Shape(e.shape()), e.dtype().djl()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Missing safetensors file: " + file, e);
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new IllegalArgumentException("Not a safetensors file (shorter than 8 bytes): " + file);
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(lenBuf, 0);
        long n = lenBuf.flip().getLong();
        if (n <= 0 || n > MAX_HEADER || 8 + n > fileSize) {
            throw new IllegalArgumentException("Not a safetensors file or truncated: " + file + " (header length " + n
                    + ", file size " + fileSize + ")");
        }
        ByteBuffer jb = ByteBuffer.allocate((int) n);
        while (jb.hasRemaining() && ch.read(jb, 8 + jb.position()) > 0) {
            // keep reading
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(jb.array(), StandardCharsets.UTF_8).trim()).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid safetensors header JSON in " + file + ": " + e.getMessage(), e);
        }
        long dataStart = 8 + n;
        long dataSize = fileSize - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : json.entrySet()) {
            if (kv.getKey().equals("__metadata__")) {
                kv.getValue().getAsJsonObject().entrySet().forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            JsonObject o = kv.getValue().getAsJsonObject();
            TensorDType dt = TensorDType.parse(o.get("dtype").getAsString());
            JsonArray sa = o.getAsJsonArray("shape");
            long[] shape = new long[sa.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sa.get(i).getAsLong();
            }
            JsonArray offs = o.getAsJsonArray("data_offsets");
            Entry e = new Entry(kv.getKey(), dt, shape, offs.get(0).getAsLong(), offs.get(1).getAsLong());
            if (e.end() - e.begin() != e.numel() * dt.bytes() || e.begin() < 0 || e.end() > dataSize) {
                throw new IllegalArgumentException("Tensor " + e.name() + " in " + file + " has offsets [" + e.begin()
                        + ", " + e.end() + ") that do not fit its shape or the file (" + dataSize + " data bytes)");
            }
            entries.put(e.name(), e);
        }
        return new Header(entries, meta, dataStart);
    }
}
