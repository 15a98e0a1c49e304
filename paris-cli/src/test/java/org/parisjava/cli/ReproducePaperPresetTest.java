package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paris reproduce --preset paper-b2} without its model folders stops at once with the whole list. */
class ReproducePaperPresetTest {
    @TempDir
    Path tmp;

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void paperB2WithoutFoldersNamesEveryMissingOne() {
        Path out = tmp.resolve("run");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = ParisCli.run("reproduce", "--preset", "paper-b2", "--dataset",
                "tiny-webdataset", "--out", out.toString()));
        assertEquals(1, code[0]);
        assertTrue(err.contains("--text hf:PATH"), err);
        assertTrue(err.contains("--latent hf:PATH"), err);
        assertTrue(err.contains("--features hf:PATH"), err);
        assertFalse(Files.exists(out), "nothing is written for a run that cannot start");
    }

    @Test
    void anUnknownThroughStageIsNamed() {
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = ParisCli.run("reproduce", "--preset", "smoke", "--through", "sampling",
                "--out", tmp.resolve("run").toString()));
        assertEquals(1, code[0]);
        assertTrue(err.contains("'sampling' for --through"), err);
    }
}
