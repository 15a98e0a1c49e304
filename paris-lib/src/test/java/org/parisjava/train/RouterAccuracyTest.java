package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RouterAccuracyTest {
    @Test
    void accuracyIsComputedPerBinWithConfusionMatrices() {
        RouterAccuracy acc = new RouterAccuracy(3, 2);
        acc.add(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new int[] {0, 1, 2, 0}, new int[] {0, 1, 2, 1});
        acc.add(new float[] {0.6f, 1.0f}, new int[] {2, 1}, new int[] {0, 1});
        RouterAccuracy.Result r = acc.result();
        assertEquals(0.75, r.bins().get(0).accuracy(), 1e-12);
        assertEquals(0.5, r.bins().get(1).accuracy(), 1e-12);
        assertEquals(0.5, r.accuracyAt(1.0), 1e-12); // t = 1 falls in the last bin
        assertEquals(4.0 / 6, r.accuracy(), 1e-12);
        assertArrayEquals(new long[] {1, 0, 1}, r.confusion()[0]); // true 0: once right, once called 2
        assertArrayEquals(new long[] {1, 2, 0}, r.confusion()[1]);
        assertEquals(4, r.bins().get(0).count());
        assertEquals("t_low,t_high,count,accuracy\n0.0000,0.5000,4,0.750000\n0.5000,1.0000,2,0.500000\n",
                r.toCsv().replace("\r", ""));
        assertThrows(IllegalArgumentException.class, () -> acc.add(0.5, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> acc.add(1.5, 0, 0));
    }

    @Test
    void emptyBinsReportNaN() {
        RouterAccuracy acc = new RouterAccuracy(2, 4);
        acc.add(0.05, 0, 0);
        assertTrue(Double.isNaN(acc.result().bins().get(3).accuracy()));
    }
}
