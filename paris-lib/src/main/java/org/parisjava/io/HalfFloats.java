package org.parisjava.io;

/**
 * IEEE 754 binary16 (F16) and bfloat16 (BF16) to float32, bit-exact (Java 17 has no
 * {@code Float.float16ToFloat}). Both widen exactly: every half value is a float32 value.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    /** bfloat16 is the upper 16 bits of a float32. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; subnormals, infinities and NaN kept. */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // signed zero
            }
            float v = mant * 0x1p-24f; // subnormal: mant x 2^-24, exact in float32
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
