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

/** {@code paris reproduce --text}: a bad value or folder stops the command before any stage, naming it. */
class ReproduceTextOptionTest {
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
    void unknownTextEncoderAndMissingFolderAreRefused() {
        Path out = tmp.resolve("run");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = ParisCli.run("reproduce", "--preset", "smoke", "--out", out.toString(),
                "--text", "clip:model.pt"));
        assertEquals(1, code[0]);
        assertTrue(err.contains("clip:model.pt"), err);
        String err2 = stderrOf(() -> code[0] = ParisCli.run("reproduce", "--preset", "smoke", "--out", out.toString(),
                "--text", "hf:" + tmp.resolve("no-such-clip")));
        assertEquals(1, code[0]);
        assertTrue(err2.contains("no-such-clip"), err2);
        assertFalse(Files.exists(out.resolve("run.json")), "nothing recorded for a run that cannot start");
    }
}
