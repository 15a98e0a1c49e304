package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.reproduce.SeedSweep;
import org.parisjava.run.RunLayout;

/**
 * {@code paris reproduce --seeds 2 --router text-aware} at the smallest scale: two complete runs in
 * one folder, the combined table and the interval verdict, and the text-aware router recorded and used.
 */
class ReproduceSeedsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void twoSeedsWithTheTextAwareRouterGiveOneCombinedTableAndVerdict() throws Exception {
        Path root = tmp.resolve("sweep");
        assertEquals(0, ParisCli.run("reproduce", "--preset", "smoke", "--out", root.toString(), "--seed", "3",
                "--seeds", "2", "--router", "text-aware", "--eval-images", "8", "--strategies", "monolith,top-2",
                "--in-process"));
        for (long s : new long[] {3, 4}) {
            RunLayout run = SeedSweep.seedRun(root, s);
            Reproduction.Options o = Reproduction.fromRun(run);
            assertEquals(s, o.seed());
            assertEquals(Reproduction.Options.TEXT_AWARE, o.router());
            assertTrue(Files.readString(run.routerDir().resolve("train-config.json")).contains("hashed"),
                    "the router records the text encoder it reads");
        }
        String table = Files.readString(root.resolve(SeedSweep.TABLE_MD));
        assertTrue(table.contains("| top-2 |") && table.contains("| monolith |") && table.contains("per seed (3, 4)"),
                table);
        String summary = Files.readString(root.resolve(SeedSweep.SUMMARY));
        assertTrue(summary.contains("over 2 seeds") && summary.contains("router text-aware"), summary);
        assertTrue(summary.contains("Headline claim, top-2 better than the monolith: "), summary);
        assertEquals(3, Files.readAllLines(root.resolve(SeedSweep.TABLE_CSV)).size());
        // --seeds 0 is refused
        assertEquals(1, ParisCli.run("reproduce", "--preset", "smoke", "--out", root.toString(), "--seeds", "0"));
    }
}
