package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paris reproduce --seeds N --router R}: bad values are refused before anything is written.
 * (The sweep itself runs end to end in the library's SeedSweepRunTest, below smoke scale.)
 */
class ReproduceSeedsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badSeedsOrRouterAreRefusedBeforeAnyStage() {
        Path out = tmp.resolve("run");
        assertEquals(1, ParisCli.run("reproduce", "--preset", "smoke", "--out", out.toString(), "--seeds", "0"));
        assertEquals(1, ParisCli.run("reproduce", "--preset", "smoke", "--out", out.toString(), "--router", "psychic"));
        assertEquals(1, ParisCli.run("train-router", "--run", out.toString(), "--router", "psychic"));
        assertFalse(Files.exists(out), "nothing may be written for a refused run");
    }
}
