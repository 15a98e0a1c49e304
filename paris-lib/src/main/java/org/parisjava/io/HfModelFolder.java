package org.parisjava.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder as {@code save_pretrained} writes it (transformers, diffusers):
 * {@code config.json} plus the weights, either one {@code *.safetensors} file or several shards
 * listed by a {@code *.safetensors.index.json} ({@code {"weight_map": {"tensor": "file"}}}).
 *
 * <p>A model loads by claiming its tensors by name with their expected shapes ({@link #take});
 * F16, BF16, F32 and F64 weights are converted to the compute type (float32 by default). Tensors
 * the model knows it does not need (another tower of a two-tower checkpoint, a saved buffer) are
 * {@linkplain #ignore ignored} explicitly. {@link #finish()} then checks that every tensor in the
 * files was claimed or ignored, so a missing, unexpected or wrongly shaped tensor is an error naming
 * the tensor and its file, never a silently half-loaded model.
 *
 * <p>When a folder holds several weight files without an index (say {@code model.safetensors} and
 * {@code model.fp16.safetensors}), the one without a variant suffix is used unless a variant is asked
 * for with {@link #open(Path, String)}.
 */
public final class HfModelFolder implements AutoCloseable {
    private static final String SUFFIX = ".safetensors";
    private static final String INDEX_SUFFIX = ".safetensors.index.json";

    private final Path dir;
    private final JsonObject config;
    private final DataType computeType;
    private final Map<String, SafeTensors.Reader> readers; // file name -> open file
    private final Map<String, SafeTensors.Reader> tensorFile; // tensor name -> its file
    private final Set<String> claimed = new LinkedHashSet<>();
    private final Set<String> ignored = new LinkedHashSet<>();

    private HfModelFolder(Path dir, JsonObject config, DataType computeType, Map<String, SafeTensors.Reader> readers,
            Map<String, SafeTensors.Reader> tensorFile) {
        this.dir = dir;
        this.config = config;
        this.computeType = computeType;
        this.readers = readers;
        this.tensorFile = tensorFile;
    }

    /** Opens {@code dir} with float32 compute and the folder's default (variant-less) weights. */
    public static HfModelFolder open(Path dir) {
        return open(dir, null, DataType.FLOAT32);
    }

    /** Opens {@code dir} with float32 compute and the weights of {@code variant} (e.g. {@code fp16}), or the default with null. */
    public static HfModelFolder open(Path dir, String variant) {
        return open(dir, variant, DataType.FLOAT32);
    }

    /**
     * Opens {@code dir}: reads {@code config.json} and the headers of its weight files.
     *
     * @param variant     weight variant ({@code model.fp16.safetensors} is variant {@code fp16}), or null
     * @param computeType FLOAT32 or FLOAT64: every floating-point weight is converted to it
     * @throws IllegalArgumentException naming the folder or file if config.json or the weights are
     *                                  missing or invalid, or the index names a tensor its file lacks
     */
    public static HfModelFolder open(Path dir, String variant, DataType computeType) {
        if (computeType != DataType.FLOAT32 && computeType != DataType.FLOAT64) {
            throw new IllegalArgumentException("Unsupported compute type " + computeType + " (FLOAT32 or FLOAT64)");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Not a Hugging Face model folder (no such directory): " + dir);
        }
        JsonObject config = readJson(dir.resolve("config.json"));
        Map<String, SafeTensors.Reader> readers = new LinkedHashMap<>();
        Map<String, SafeTensors.Reader> tensorFile = new LinkedHashMap<>();
        try {
            Path index = pick(dir, variant, INDEX_SUFFIX, true);
            if (index != null) {
                JsonObject idx = readJson(index);
                JsonElement wm = idx.get("weight_map");
                if (wm == null || !wm.isJsonObject()) {
                    throw new IllegalArgumentException("Index " + index + " has no weight_map object");
                }
                for (Map.Entry<String, JsonElement> kv : wm.getAsJsonObject().entrySet()) {
                    String file = kv.getValue().getAsString();
                    SafeTensors.Reader r = readers.computeIfAbsent(file, f -> SafeTensors.open(dir.resolve(f)));
                    if (!r.header().entries().containsKey(kv.getKey())) {
                        throw new IllegalArgumentException("Index " + index + " maps tensor " + kv.getKey() + " to "
                                + r.file() + ", which does not hold it");
                    }
                    tensorFile.put(kv.getKey(), r);
                }
                for (SafeTensors.Reader r : readers.values()) {
                    for (String name : r.header().entries().keySet()) {
                        if (tensorFile.get(name) != r) {
                            throw new IllegalArgumentException("Tensor " + name + " in " + r.file()
                                    + " is not listed for that file in " + index);
                        }
                    }
                }
            } else {
                Path file = pick(dir, variant, SUFFIX, false);
                SafeTensors.Reader r = SafeTensors.open(file);
                readers.put(file.getFileName().toString(), r);
                r.header().entries().keySet().forEach(n -> tensorFile.put(n, r));
            }
        } catch (RuntimeException e) {
            readers.values().forEach(SafeTensors.Reader::close);
            throw e;
        }
        return new HfModelFolder(dir, config, computeType, readers, tensorFile);
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The parsed {@code config.json}. */
    public JsonObject config() {
        return config;
    }

    /** The type every floating-point weight is converted to. */
    public DataType computeType() {
        return computeType;
    }

    /** The weight files in use, in the order first met. */
    public List<Path> weightFiles() {
        return readers.values().stream().map(SafeTensors.Reader::file).toList();
    }

    /** Every tensor name in the weight files. */
    public Set<String> tensorNames() {
        return Collections.unmodifiableSet(tensorFile.keySet());
    }

    /** True if the weights hold a tensor named {@code name}. */
    public boolean has(String name) {
        return tensorFile.containsKey(name);
    }

    /** The stored shape of tensor {@code name}. */
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    /**
     * Claims tensor {@code name} and reads it into {@code manager} in the compute type.
     *
     * @param expectedShape the shape the model needs
     * @throws IllegalArgumentException naming the tensor, the folder or file, and both shapes, if it
     *                                  is missing, already claimed, or shaped differently
     */
    public NDArray take(String name, NDManager manager, long... expectedShape) {
        SafeTensors.Entry e = entry(name);
        if (!Arrays.equals(e.shape(), expectedShape)) {
            throw new IllegalArgumentException("Tensor " + name + " in " + tensorFile.get(name).file() + " has shape "
                    + Arrays.toString(e.shape()) + ", the model expects " + Arrays.toString(expectedShape));
        }
        if (!claimed.add(name)) {
            throw new IllegalArgumentException("Tensor " + name + " in " + tensorFile.get(name).file()
                    + " is claimed twice");
        }
        return tensorFile.get(name).read(name, manager, computeType);
    }

    /** Marks every present tensor that matches {@code unused} as deliberately not loaded; returns how many. */
    public int ignore(Predicate<String> unused) {
        int n = 0;
        for (String name : tensorFile.keySet()) {
            if (!claimed.contains(name) && unused.test(name) && ignored.add(name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Checks that every tensor in the weight files was claimed or ignored.
     *
     * @throws IllegalArgumentException listing the unexpected tensors with their files
     */
    public void finish() {
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, SafeTensors.Reader> kv : tensorFile.entrySet()) {
            if (!claimed.contains(kv.getKey()) && !ignored.contains(kv.getKey())) {
                left.add(kv.getKey() + " (" + kv.getValue().file().getFileName() + ")");
            }
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(left.size() + " unexpected tensor(s) in " + dir + " that the model does "
                    + "not use: " + String.join(", ", left.subList(0, Math.min(20, left.size())))
                    + (left.size() > 20 ? ", ..." : ""));
        }
    }

    @Override
    public void close() {
        readers.values().forEach(SafeTensors.Reader::close);
    }

    /** An int from config.json, or an error naming the key and the folder. */
    public int configInt(String key) {
        return configElement(key).getAsInt();
    }

    /** A double from config.json, or {@code fallback} when the key is absent or null. */
    public double configDouble(String key, double fallback) {
        JsonElement e = config.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
    }

    /** A string from config.json, or {@code fallback} when the key is absent or null. */
    public String configString(String key, String fallback) {
        JsonElement e = config.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private JsonElement configElement(String key) {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("Missing " + key + " in " + dir.resolve("config.json"));
        }
        return e;
    }

    private SafeTensors.Entry entry(String name) {
        SafeTensors.Reader r = tensorFile.get(name);
        if (r == null) {
            throw new IllegalArgumentException("Missing tensor " + name + " in " + dir + " (weights: "
                    + String.join(", ", readers.keySet()) + ")");
        }
        return r.header().entries().get(name);
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Missing " + file.getFileName() + " in model folder " + file.getParent());
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid JSON in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file ending in {@code suffix} for {@code variant}; null if optional and none. */
    private static Path pick(Path dir, String variant, String suffix, boolean optional) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        List<String> match = new ArrayList<>();
        for (String n : names) {
            String stem = n.substring(0, n.length() - suffix.length());
            String v = variantOf(stem);
            if (variant == null ? v == null : variant.equals(v)) {
                match.add(n);
            }
        }
        if (match.size() == 1) {
            return dir.resolve(match.get(0));
        }
        if (match.isEmpty() && optional) {
            return null;
        }
        throw new IllegalArgumentException((match.isEmpty() ? "No" : "Several") + " *" + suffix + " weight files"
                + (variant == null ? "" : " of variant " + variant) + " in " + dir
                + (names.isEmpty() ? "" : " (found: " + String.join(", ", names) + ")"));
    }

    /**
     * The variant of a weight file stem: {@code model.fp16} is fp16; a shard stem
     * ({@code model-00001-of-00002}, {@code model.fp16-00001-of-00002}) has the same variant as its base.
     */
    private static String variantOf(String stem) {
        String base = stem.replaceFirst("-\\d{5}-of-\\d{5}$", "");
        int dot = base.lastIndexOf('.');
        return dot < 0 ? null : base.substring(dot + 1);
    }
}
