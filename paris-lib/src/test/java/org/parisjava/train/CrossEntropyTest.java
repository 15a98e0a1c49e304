package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

    @Test
    void isTheMeanNegativeLogSoftmaxAtTheLabel() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0: softmax(0, ln 3) = (1/4, 3/4); row 1: uniform over 2 classes
            NDArray logits = m.create(new float[] {0f, (float) Math.log(3), 5f, 5f}, new Shape(2, 2));
            double expected = (-Math.log(0.75) - Math.log(0.5)) / 2;
            assertEquals(expected, CrossEntropy.loss(logits, new int[] {1, 0}, m).getFloat(), 1e-6);
            assertEquals((-Math.log(0.25) - Math.log(0.5)) / 2, CrossEntropy.loss(logits, new int[] {0, 1}, m)
                    .getFloat(), 1e-6);
        }
    }

    @Test
    void refusesLabelsThatDoNotFit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(2, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CrossEntropy.loss(logits, new int[] {0, 3}, m));
            assertTrue(e.getMessage().contains("Label 3 at 1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, new int[] {0}, m));
        }
    }
}
