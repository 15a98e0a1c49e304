package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paris reproduce --preset paper-b2} without its model folders stops at once with the whole list. */
class ReproducePaperPresetTest {
    @TempDir
    Path tmp;

    @Test
    void paperB2WithoutFoldersNamesEveryMissingOne() {
        Path out = tmp.resolve("run");
        CliRun errRun = CliRun.of("reproduce", "--preset", "paper-b2", "--dataset",
                "tiny-webdataset", "--out", out.toString());
        String err = errRun.err();
        assertEquals(1, errRun.code());
        assertTrue(err.contains("--text hf:PATH"), err);
        assertTrue(err.contains("--latent hf:PATH"), err);
        assertTrue(err.contains("--features hf:PATH"), err);
        assertFalse(Files.exists(out), "nothing is written for a run that cannot start");
    }

    @Test
    void anUnknownThroughStageIsNamed() {
        CliRun errRun = CliRun.of("reproduce", "--preset", "smoke", "--through", "sampling",
                "--out", tmp.resolve("run").toString());
        String err = errRun.err();
        assertEquals(1, errRun.code());
        assertTrue(err.contains("'sampling' for --through"), err);
    }
}
