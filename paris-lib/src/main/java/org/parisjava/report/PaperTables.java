package org.parisjava.report;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The papers' numbers ({@link PaperNumbers}) as tables, for notebooks and reports. */
public final class PaperTables {
    private PaperTables() {
    }

    /** Training data and compute of Paris (arXiv 2510.03434) and DDM (arXiv 2501.05450), as published. */
    public static Table dataAndCompute() {
        Table t = Table.create("papers", StringColumn.create("system"), DoubleColumn.create("training images (M)"),
                DoubleColumn.create("GPU-days"));
        for (PaperNumbers.System s : List.of(PaperNumbers.PARIS, PaperNumbers.DDM)) {
            t.stringColumn(0).append(s.name());
            t.doubleColumn(1).append(s.trainingImagesMillions());
            t.doubleColumn(2).append(s.gpuDays());
        }
        return t;
    }
}
