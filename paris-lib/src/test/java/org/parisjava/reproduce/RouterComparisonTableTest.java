package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.parisjava.train.RouterAccuracy;

/** The table of two routers' accuracy by timestep (text-blind beside text-aware). */
class RouterComparisonTableTest {

    private static RouterAccuracy.Result measured(int rightNearNoise) {
        RouterAccuracy a = new RouterAccuracy(2, 2);
        for (int i = 0; i < 4; i++) {
            a.add(0.25, 1, 1); // near the data: always right
            a.add(0.75, i < rightNearNoise ? 0 : 1, 0); // near noise: right for the first rightNearNoise
        }
        return a.result();
    }

    @Test
    void bothRoutersPerBinAndOverall() {
        String md = Figures.routerComparisonMarkdown("text-blind", measured(1), "text-aware", measured(4));
        assertTrue(md.contains("| [0.00, 0.50) | 1.000 | 1.000 |"), md);
        assertTrue(md.contains("| [0.50, 1.00) | 0.250 | 1.000 |"), md);
        assertTrue(md.contains("| all | 0.625 | 1.000 |"), md);
        assertEquals(5, md.lines().count());
        RouterAccuracy other = new RouterAccuracy(2, 3);
        other.add(0.1, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> Figures.routerComparisonMarkdown("a", measured(1), "b", other.result()));
    }
}
