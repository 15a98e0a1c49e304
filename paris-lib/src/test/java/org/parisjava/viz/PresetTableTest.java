package org.parisjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parisjava.train.RouterAccuracy;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.Preset;
import tech.tablesaw.api.Table;

class PresetTableTest {
    @Test
    void oneRowPerRegisteredPresetWithItsOwnNumbers() {
        Table t = PresetTable.of();
        assertEquals(Preset.names(), t.stringColumn("preset").asList());
        int smoke = Preset.names().indexOf("smoke");
        assertEquals(Preset.of("smoke").coarseClusters(), t.intColumn("experts K").get(smoke));
        assertEquals(4, t.intColumn("experts K").get(smoke));
        assertEquals(Preset.of("demo").expertSteps(), t.intColumn("expert steps").get(Preset.names().indexOf("demo")));
    }

    @Test
    void routerAccuracyOneRowPerBin() {
        long[][] none = new long[2][2];
        RouterAccuracy.Result acc = new RouterAccuracy.Result(2, List.of(
                new RouterAccuracy.Bin(0.0, 0.5, 10, 0.9, none), new RouterAccuracy.Bin(0.5, 1.0, 12, 0.51234, none)),
                none, 0.7);
        Table t = RouterAccuracyTable.of(acc);
        assertEquals(List.of("0.0-0.5", "0.5-1.0"), t.stringColumn("t").asList());
        assertEquals(12, t.intColumn("images").get(1));
        assertEquals(0.512, t.doubleColumn("accuracy").get(1), 0);
    }

    @Test
    void forwardCostsInMacsAndFlops() {
        ForwardCost b2 = ForwardCost.of(DiTConfig.of("DiT-B/2"));
        Table t = ForwardCostTable.of(List.of(b2));
        assertEquals("expert DiT-B/2", t.stringColumn("model").get(0));
        assertEquals(b2.gmacs(), t.doubleColumn("GMACs").get(0), 0);
        assertEquals(2 * t.doubleColumn("GMACs").get(0), t.doubleColumn("GFLOPs").get(0), 1e-12);
    }
}
