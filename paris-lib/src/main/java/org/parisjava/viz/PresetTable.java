package org.parisjava.viz;

import java.util.List;
import org.parisjava.run.Preset;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The scale presets side by side, from the registry itself ({@link Preset}), for notebooks and docs. */
public final class PresetTable {
    private PresetTable() {
    }

    /** Every registered preset. */
    public static Table of() {
        return of(Preset.names().stream().map(Preset::of).toList());
    }

    /** One row per preset: data, K, expert and router training, sampling and evaluation. */
    public static Table of(List<Preset> presets) {
        Table t = Table.create("presets", StringColumn.create("preset"), StringColumn.create("dataset"),
                IntColumn.create("image side"), IntColumn.create("training images (0 = all)"),
                IntColumn.create("experts K"), StringColumn.create("expert"), IntColumn.create("expert steps"),
                IntColumn.create("expert batch"), StringColumn.create("router"), IntColumn.create("router steps"),
                IntColumn.create("sampling steps"), DoubleColumn.create("guidance"),
                IntColumn.create("images per strategy"));
        for (Preset p : presets) {
            t.stringColumn(0).append(p.name());
            t.stringColumn(1).append(p.dataset());
            t.intColumn(2).append(p.imageSize());
            t.intColumn(3).append(p.trainImages());
            t.intColumn(4).append(p.coarseClusters());
            t.stringColumn(5).append(p.expertModel());
            t.intColumn(6).append(p.expertSteps());
            t.intColumn(7).append(p.expertBatch());
            t.stringColumn(8).append(p.routerModel());
            t.intColumn(9).append(p.routerSteps());
            t.intColumn(10).append(p.samplingSteps());
            t.doubleColumn(11).append(p.cfgScale());
            t.intColumn(12).append(p.evalImages());
        }
        return t;
    }
}
