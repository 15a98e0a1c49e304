package org.parisjava.viz;

import java.util.Locale;
import org.parisjava.train.RouterAccuracy;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The router's held-out accuracy by timestep bin, as a table (the numbers behind figure 3a). */
public final class RouterAccuracyTable {
    private RouterAccuracyTable() {
    }

    /** One row per bin of t: its range, its held-out images, its accuracy (3 decimals). */
    public static Table of(RouterAccuracy.Result acc) {
        Table t = Table.create("router accuracy by t", StringColumn.create("t"), IntColumn.create("images"),
                DoubleColumn.create("accuracy"));
        for (RouterAccuracy.Bin b : acc.bins()) {
            t.stringColumn(0).append(String.format(Locale.ROOT, "%.1f-%.1f", b.tLow(), b.tHigh()));
            t.intColumn(1).append((int) b.count());
            t.doubleColumn(2).append(Math.round(b.accuracy() * 1000) / 1000.0);
        }
        return t;
    }
}
