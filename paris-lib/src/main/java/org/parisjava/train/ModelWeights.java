package org.parisjava.train;

import org.parisjava.io.SafeTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A block's weights as named tensors: to and from safetensors files, strictly matched by name and shape. */
public final class ModelWeights {
    private ModelWeights() {
    }

    /** The block's current weights by {@link ParameterNames} path (the live arrays, not copies). */
    public static Map<String, NDArray> of(Block block) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        ParameterNames.of(block).forEach((k, p) -> out.put(k, p.getArray()));
        return out;
    }

    public static void save(Block block, Path file, Map<String, String> metadata) {
        SafeTensors.write(file, of(block), metadata);
    }

    /** Loads {@code file} into the (initialized) block; every parameter must be in the file with its shape. */
    public static void load(Block block, Path file) {
        try (NDManager tmp = firstArray(block).getManager().newSubManager()) {
            Map<String, NDArray> src = SafeTensors.read(file, tmp);
            requireFinite(src, file);
            Map<String, NDArray> dst = of(block);
            copy(src, dst, file.toString());
        }
    }

    /**
     * Refuses tensors holding a NaN or an infinity: weights like that give black samples or NaN
     * losses far from their cause. Names the file, the tensor and how many values are bad.
     */
    public static void requireFinite(Map<String, NDArray> tensors, Path file) {
        for (var e : tensors.entrySet()) {
            NDArray a = e.getValue();
            if (!a.getDataType().isFloating()) {
                continue;
            }
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                long bad = a.isNaN().logicalOr(a.isInfinite()).countNonzero().getLong();
                if (bad > 0) {
                    throw new IllegalArgumentException(file + ": tensor " + e.getKey() + " holds " + bad + " of "
                            + a.size() + " values that are NaN or infinite; refusing to load it");
                }
            }
        }
    }

    /** Copies each tensor of {@code src} into the same-named array of {@code dst}, checking names and shapes. */
    static void copy(Map<String, NDArray> src, Map<String, NDArray> dst, String what) {
        for (var e : dst.entrySet()) {
            NDArray s = src.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException(what + " lacks tensor " + e.getKey());
            }
            if (!s.getShape().equals(e.getValue().getShape())) {
                throw new IllegalArgumentException("Tensor " + e.getKey() + " in " + what + " has shape " + s.getShape()
                        + ", the model expects " + e.getValue().getShape());
            }
            e.getValue().set(s.toType(e.getValue().getDataType(), false).toByteBuffer());
        }
    }

    private static NDArray firstArray(Block block) {
        for (Parameter p : ParameterNames.of(block).values()) {
            return p.getArray();
        }
        throw new IllegalArgumentException("Block has no parameters: " + block);
    }
}
