package org.parisjava.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class PaperTablesTest {
    @Test
    void dataAndComputeAsPublished() {
        Table t = PaperTables.dataAndCompute();
        assertEquals(List.of("Paris", "DDM"), t.stringColumn("system").asList());
        assertEquals(158.0 / 11.0, t.doubleColumn("training images (M)").get(1) / t.doubleColumn(1).get(0), 1e-12);
        assertEquals(1176.0, t.doubleColumn("GPU-days").get(1), 0);
    }
}
