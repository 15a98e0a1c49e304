package org.parisjava.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashedTokenEncoderTest {

    @Test
    void sameCaptionSameTokensAcrossInstancesAndBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            TextBatch a = new HashedTokenEncoder(16, 6).encode(List.of("A red circle.", "blue square"), m);
            TextBatch b = new HashedTokenEncoder(16, 6).encode(List.of("blue square", "a RED   circle"), m);
            assertEquals(new Shape(2, 6, 16), a.tokens().getShape());
            assertArrayEquals(a.tokens().get(0).toFloatArray(), b.tokens().get(1).toFloatArray());
            assertArrayEquals(a.tokens().get(1).toFloatArray(), b.tokens().get(0).toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, a.mask().get(0).toFloatArray());
            // a pinned value guards against silent changes of the hash or the generator
            assertEquals(0.9640769f, a.tokens().getFloat(0, 0, 0), 1e-6f);
        }
    }

    @Test
    void wordOrderSeedAndVocabularyMatter() {
        try (NDManager m = NDManager.newBaseManager()) {
            HashedTokenEncoder enc = new HashedTokenEncoder(16, 6);
            float[] rc = enc.encode(List.of("red circle"), m).tokens().toFloatArray();
            assertNotEquals(Arrays.toString(rc), Arrays.toString(enc.encode(List.of("circle red"), m).tokens()
                    .toFloatArray()));
            assertNotEquals(Arrays.toString(rc), Arrays.toString(new HashedTokenEncoder(16, 6, 1)
                    .encode(List.of("red circle"), m).tokens().toFloatArray()));
        }
    }

    @Test
    void emptyCaptionIsOneNullTokenAndLongCaptionsTruncate() {
        try (NDManager m = NDManager.newBaseManager()) {
            HashedTokenEncoder enc = new HashedTokenEncoder(8, 3);
            TextBatch t = enc.encode(List.of("", "  ...  ", "one two three four five"), m);
            assertArrayEquals(new float[] {1, 0, 0}, t.mask().get(0).toFloatArray());
            assertArrayEquals(t.tokens().get(0).toFloatArray(), t.tokens().get(1).toFloatArray());
            // no caption can produce the null token: "<null>" is the word "null"
            assertNotEquals(Arrays.toString(t.tokens().get(0).toFloatArray()), Arrays.toString(
                    enc.encode(List.of(HashedTokenEncoder.NULL_TOKEN), m).tokens().get(0).toFloatArray()));
            assertArrayEquals(new float[] {1, 1, 1}, t.mask().get(2).toFloatArray());
            assertEquals(List.of("one", "two", "a1"), HashedTokenEncoder.words("One, two; A1!"));
            assertThrows(IllegalArgumentException.class, () -> enc.encode(Arrays.asList((String) null), m));
        }
    }
}
