package org.parisjava.io;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtypes this project reads and writes, with their DJL counterparts. */
public enum TensorDType {
    F32(DataType.FLOAT32, 4),
    F16(DataType.FLOAT16, 2),
    BF16(DataType.BFLOAT16, 2),
    F64(DataType.FLOAT64, 8),
    I64(DataType.INT64, 8),
    I32(DataType.INT32, 4),
    U8(DataType.UINT8, 1);

    private final DataType djl;
    private final int bytes;

    TensorDType(DataType djl, int bytes) {
        this.djl = djl;
        this.bytes = bytes;
    }

    public DataType djl() {
        return djl;
    }

    public int bytes() {
        return bytes;
    }

    public static TensorDType of(DataType type) {
        for (TensorDType t : values()) {
            if (t.djl == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("No safetensors dtype for DJL type " + type);
    }

    public static TensorDType parse(String name) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unsupported safetensors dtype '" + name + "'", e);
        }
    }
}
