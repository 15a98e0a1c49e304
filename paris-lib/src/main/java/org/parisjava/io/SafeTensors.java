package org.parisjava.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format that Python's {@code safetensors} reads: an 8-byte
 * little-endian header length N, N bytes of JSON
 * ({@code {"__metadata__": {...}, "name": {"dtype", "shape", "data_offsets": [begin, end]}}},
 * padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
 *
 * <p>Offsets are {@code long}: a DiT-XL/2 expert in fp32 is about 2.4 GB, past 2^31 bytes. Tensors
 * are streamed to the file one at a time ({@link TensorSource}), so writing never holds more than one
 * tensor's bytes, and reading positions the channel at a {@code long} offset and reads one tensor.
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
        List<TensorSource> sources = new ArrayList<>(tensors.size());
        tensors.forEach((name, a) -> sources.add(new TensorSource(name, TensorDType.of(a.getDataType()),
                a.getShape().getShape(),
                // DJL hands back native order; this project runs on little-endian hosts (x86-64, arm64)
                ch -> writeFully(ch, a.toByteBuffer()))));
        write(file, sources, metadata);
    }

    /**
     * One tensor to write without holding the whole file: its header entry and a writer of exactly
     * its {@code numel * dtype bytes} bytes, called in file order with the channel positioned at the
     * tensor's first byte.
     */
    public record TensorSource(String name, TensorDType dtype, long[] shape, AtomicFiles.ChannelWriter bytes) {
        public TensorSource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(bytes, "bytes");
            if (name.equals("__metadata__")) {
                throw new IllegalArgumentException("A tensor may not be named __metadata__");
            }
        }

        /** Size of the tensor's data in bytes (a long: a model's tensors may sum past 2^31). */
        public long byteSize() {
            long n = dtype.bytes();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /**
     * Writes the tensors {@code sources} describe, in list order, atomically: the header first (all
     * offsets are computed as {@code long}s from the declared shapes), then each tensor's bytes as its
     * writer streams them. A writer that writes more or fewer bytes than its shape declares is an error
     * naming the tensor.
     */
    public static void write(Path file, List<TensorSource> sources, Map<String, String> metadata) {
        AtomicFiles.writeChannel(file, ch -> {
            long dataStart = ch.position() + writeHeader(ch, sources, metadata);
            long offset = 0;
            for (TensorSource t : sources) {
                long expected = dataStart + offset + t.byteSize();
                t.bytes().write(ch);
                if (ch.position() != expected) {
                    throw new IllegalStateException("Tensor " + t.name() + " for " + file + ": wrote "
                            + (ch.position() - dataStart - offset) + " bytes, its shape "
                            + Arrays.toString(t.shape()) + " " + t.dtype() + " needs " + t.byteSize());
                }
                offset += t.byteSize();
            }
        });
    }

    /** Writes the length prefix and the padded JSON header; returns the bytes written. */
    private static long writeHeader(FileChannel ch, List<TensorSource> sources, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            // sorted: Map.of iterates in a per-JVM random order, and the bytes must not depend on the process
            new java.util.TreeMap<>(metadata).forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (TensorSource t : sources) {
            long bytes = t.byteSize();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + bytes);
            o.add("data_offsets", offs);
            if (header.has(t.name())) {
                throw new IllegalArgumentException("Tensor name " + t.name() + " appears twice");
            }
            header.add(t.name(), o);
            offset += bytes;
        }
        byte[] json = COMPACT.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the reference pads so the data starts 8-aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        writeFully(ch, head);
        return 8L + padded;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads and validates the header only. */
    public static Header readHeader(Path file) {
        try (FileChannel ch = openChannel(file)) {
            return readHeader(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * Reads every tensor into {@code manager}, in file order, in its stored dtype, except BF16, which
     * is returned as float32 (bf16 widens to float32 exactly; DJL's PyTorch engine cannot take a
     * bf16 buffer).
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (Reader r = open(file)) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Entry e : r.header().entries().values()) {
                out.put(e.name(), r.read(e.name(), manager, e.dtype() == TensorDType.BF16 ? DataType.FLOAT32 : null));
            }
            return out;
        }
    }

    /**
     * Reads every tensor into {@code manager}, in file order, with every floating-point tensor
     * (F16, BF16, F32, F64) converted to {@code computeType} (FLOAT32 or FLOAT64); integer tensors
     * keep their dtype.
     */
    public static Map<String, NDArray> read(Path file, NDManager manager, DataType computeType) {
        try (Reader r = open(file)) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Entry e : r.header().entries().values()) {
                out.put(e.name(), r.read(e.name(), manager, computeType));
            }
            return out;
        }
    }

    /**
     * Opens {@code file} for reading tensors one at a time (a model folder's weights are read as the
     * model claims them, so only one tensor's bytes are on the heap at once).
     *
     * @throws IllegalArgumentException if the file is missing, not safetensors, or its header is invalid
     */
    public static Reader open(Path file) {
        FileChannel ch;
        try {
            ch = openChannel(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        try {
            return new Reader(file, ch, readHeader(file, ch));
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot read " + file, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static boolean isFloating(TensorDType t) {
        return t == TensorDType.F32 || t == TensorDType.F16 || t == TensorDType.BF16 || t == TensorDType.F64;
    }

    /** An open safetensors file: its header and its tensors, read on demand. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final Header header;

        private Reader(Path file, FileChannel channel, Header header) {
            this.file = file;
            this.channel = channel;
            this.header = header;
        }

        public Path file() {
            return file;
        }

        public Header header() {
            return header;
        }

        /**
         * Reads tensor {@code name} into {@code manager}. With a {@code computeType} (FLOAT32 or
         * FLOAT64), a floating-point tensor (F16, BF16, F32, F64) is converted to it on the Java side;
         * with {@code null} it keeps its stored dtype (BF16 is then refused: DJL cannot hold it).
         *
         * @throws IllegalArgumentException naming the tensor and the file if it is absent or truncated
         */
        public NDArray read(String name, NDManager manager, DataType computeType) {
            Entry e = header.entries().get(name);
            if (e == null) {
                throw new IllegalArgumentException("No tensor " + name + " in " + file);
            }
            if (computeType != null && computeType != DataType.FLOAT32 && computeType != DataType.FLOAT64) {
                throw new IllegalArgumentException("Unsupported compute type " + computeType + " (FLOAT32 or FLOAT64)");
            }
            long size = e.end() - e.begin();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Tensor " + name + " in " + file + " is " + size
                        + " bytes, more than one buffer holds");
            }
            ByteBuffer raw = ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
            long pos = header.dataStart() + e.begin();
            try {
                while (raw.hasRemaining()) {
                    int n = channel.read(raw, pos);
                    if (n < 0) {
                        throw new IllegalArgumentException("File " + file + " is truncated inside tensor " + name);
                    }
                    pos += n;
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("Cannot read tensor " + name + " from " + file, ex);
            }
            raw.flip();
            Shape shape = new Shape(e.shape());
            if (computeType == null || !isFloating(e.dtype())) {
                if (e.dtype() == TensorDType.BF16) {
                    throw new IllegalArgumentException("Tensor " + name + " in " + file
                            + " is BF16; read it with a compute type (FLOAT32)");
                }
                return owned(manager.create(raw, shape, e.dtype().djl()));
            }
            if (e.dtype().djl() == computeType) {
                return owned(manager.create(raw, shape, computeType));
            }
            int n = Math.toIntExact(e.numel());
            ByteBuffer out = ByteBuffer.allocateDirect(n * (computeType == DataType.FLOAT64 ? 8 : 4))
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                double v = switch (e.dtype()) {
                    case F16 -> HalfFloats.f16ToFloat(raw.getShort());
                    case BF16 -> HalfFloats.bf16ToFloat(raw.getShort());
                    case F32 -> raw.getFloat();
                    case F64 -> raw.getDouble();
                    default -> throw new IllegalStateException(e.dtype().name());
                };
                if (computeType == DataType.FLOAT64) {
                    out.putDouble(v);
                } else {
                    out.putFloat((float) v);
                }
            }
            out.flip();
            return owned(manager.create(out, shape, computeType));
        }

        /**
         * A copy in the engine's own memory. DJL's PyTorch engine wraps a direct buffer without copying,
         * so a model's weights would otherwise stay in JVM direct memory (capped by -Xmx by default) for
         * the model's whole life; the copy lets the buffer go at the next collection.
         */
        private static NDArray owned(NDArray wrapped) {
            NDArray copy = wrapped.duplicate();
            wrapped.close();
            return copy;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close " + file, e);
            }
        }
    }

    private static FileChannel openChannel(Path file) throws IOException {
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
                if (kv.getValue().isJsonNull()) { // Python's safetensors accepts "__metadata__": null
                    continue;
                }
                if (!kv.getValue().isJsonObject()) {
                    throw new IllegalArgumentException("The __metadata__ of " + file + " is not an object");
                }
                kv.getValue().getAsJsonObject().entrySet().forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
                continue;
            }
            Entry e;
            try {
                JsonObject o = kv.getValue().getAsJsonObject();
                TensorDType dt = TensorDType.parse(o.get("dtype").getAsString());
                JsonArray sa = o.getAsJsonArray("shape");
                long[] shape = new long[sa.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sa.get(i).getAsLong();
                }
                JsonArray offs = o.getAsJsonArray("data_offsets");
                e = new Entry(kv.getKey(), dt, shape, offs.get(0).getAsLong(), offs.get(1).getAsLong());
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("Invalid header entry for tensor " + kv.getKey() + " in " + file
                        + ": " + ex.getMessage(), ex);
            }
            if (e.end() - e.begin() != e.numel() * e.dtype().bytes() || e.begin() < 0 || e.end() > dataSize) {
                throw new IllegalArgumentException("Tensor " + e.name() + " in " + file + " has offsets [" + e.begin()
                        + ", " + e.end() + ") that do not fit its shape or the file (" + dataSize + " data bytes)");
            }
            entries.put(e.name(), e);
        }
        return new Header(entries, meta, dataStart);
    }
}
