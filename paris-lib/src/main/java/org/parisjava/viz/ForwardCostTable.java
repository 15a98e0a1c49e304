package org.parisjava.viz;

import java.util.List;
import org.parisjava.model.ForwardCost;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Forward-pass costs side by side, in MACs (the DiT paper's "Gflops") and in FLOPs (2 per MAC). */
public final class ForwardCostTable {
    private ForwardCostTable() {
    }

    public static Table of(List<ForwardCost> costs) {
        Table t = Table.create("forward cost per image", StringColumn.create("model"),
                DoubleColumn.create("GMACs"), DoubleColumn.create("GFLOPs"));
        for (ForwardCost c : costs) {
            t.stringColumn(0).append(c.name());
            t.doubleColumn(1).append(c.gmacs());
            t.doubleColumn(2).append(c.gflops());
        }
        return t;
    }
}
