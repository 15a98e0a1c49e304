package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parisjava.run.ProgressListener;

class NotebookRunTest {
    @Test
    void scaleAndRunFolderComeFromTheEnvironment() {
        NotebookRun nb = NotebookRun.of(Map.of("PARIS_SCALE", "smoke", "PARIS_RUN_DIR", "/data/run"),
                ProgressListener.NONE);
        assertEquals("smoke", nb.preset().name());
        assertEquals(4, nb.clusters());
        assertEquals(Path.of("/data/run"), nb.run().root());
        assertEquals(Path.of("/data/run"), nb.seedsDir(), "a seeds sweep defaults to the run folder, as --out does");
        assertEquals(Path.of("/data/sweep"), NotebookRun.of(Map.of("PARIS_SCALE", "smoke", "PARIS_RUN_DIR", "/data/run",
                "PARIS_SEEDS_DIR", "/data/sweep"), ProgressListener.NONE).seedsDir());
        assertEquals(42, nb.options().seed());
        assertEquals("preset smoke: K = 4 experts, dataset shapes, run folder /data/run", nb.toString());
    }

    @Test
    void theDatasetIsACatalogueNameFromTheEnvironment() {
        NotebookRun nb = NotebookRun.of(Map.of("PARIS_SCALE", "smoke", "PARIS_DATASET", "tiny-webdataset"),
                ProgressListener.NONE);
        assertEquals("tiny-webdataset", nb.options().datasetSpec());
        assertTrue(nb.toString().contains("dataset tiny-webdataset"), nb.toString());
    }

    @Test
    void defaultsToTheDemoRunThatReproduceWrites() {
        NotebookRun nb = NotebookRun.of(Map.of(), ProgressListener.NONE);
        assertEquals("demo", nb.preset().name());
        assertEquals(Path.of("../runs/demo"), nb.runDir());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotebookRun.of(Map.of("PARIS_SCALE", "huge"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("smoke"), e.getMessage());
    }
}
