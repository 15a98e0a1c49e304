package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paris reproduce --text}: a bad value or folder stops the command before any stage, naming it. */
class ReproduceTextOptionTest {
    @TempDir
    Path tmp;

    @Test
    void unknownTextEncoderAndMissingFolderAreRefused() {
        Path out = tmp.resolve("run");
        CliRun errRun = CliRun.of("reproduce", "--preset", "smoke", "--out", out.toString(),
                "--text", "clip:model.pt");
        String err = errRun.err();
        assertEquals(1, errRun.code());
        assertTrue(err.contains("clip:model.pt"), err);
        CliRun err2Run = CliRun.of("reproduce", "--preset", "smoke", "--out", out.toString(),
                "--text", "hf:" + tmp.resolve("no-such-clip"));
        String err2 = err2Run.err();
        assertEquals(1, err2Run.code());
        assertTrue(err2.contains("no-such-clip"), err2);
        assertFalse(Files.exists(out.resolve("run.json")), "nothing recorded for a run that cannot start");
    }
}
