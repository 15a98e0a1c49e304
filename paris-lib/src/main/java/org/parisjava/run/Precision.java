package org.parisjava.run;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type models compute in at inference: {@code fp32} (the default, and always the
 * type of training and of the sampler's state x_t) or {@code fp16}, half the memory and, on a GPU's
 * tensor cores, faster matrix products. DJL's PyTorch engine has no bfloat16 and no autocast; fp16 is
 * parsed and recorded, and refused by {@link ComputeDevice#select(String, Precision)} until the models
 * can be cast (DJL 0.35.1 does not implement {@code Block.cast}).
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The DJL type of model weights and activations. */
    public DataType dataType() {
        return dataType;
    }

    /** {@code fp32} or {@code fp16}. */
    public String spec() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code fp32} or {@code fp16}.
     *
     * @throws IllegalArgumentException otherwise; bf16 is named as unsupported by DJL's engine
     */
    public static Precision parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "fp32", "float32" -> FP32;
            case "fp16", "float16", "half" -> FP16;
            case "bf16", "bfloat16" -> throw new IllegalArgumentException("Precision '" + spec
                    + "': DJL's PyTorch engine has no bfloat16; use fp16 or fp32");
            default -> throw new IllegalArgumentException("Invalid precision '" + spec + "': use fp32 or fp16");
        };
    }
}
