package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paris generate} end to end on the tiny folder in the released Paris layout. */
class GenerateCommandTest {
    static final Path TINY = Path.of("../paris-lib/src/test/resources/paris-tiny");

    @TempDir
    Path tmp;

    @Test
    void generatesAGridWithTheExpertUsageBesideIt() throws Exception {
        Path out = tmp.resolve("out/grid.png");
        int code = ParisCli.run("generate", "--weights", TINY.toString(), "--prompt", "a red circle", "--prompt",
                "a blue square", "-n", "2", "--steps", "3", "--cfg", "3", "--seed", "4", "--strategy", "top-2",
                "--out", out.toString());
        assertEquals(0, code);
        BufferedImage grid = ImageIO.read(out.toFile());
        assertTrue(grid.getWidth() >= 2 * 16 && grid.getHeight() >= 2 * 16, grid.getWidth() + "x" + grid.getHeight());
        List<String> csv = Files.readAllLines(tmp.resolve("out/grid.usage.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 3 * 4, csv.size(), "a header and one row per step and expert: " + csv);
        assertTrue(Files.size(tmp.resolve("out/grid.usage.png")) > 1000);
    }

    @Test
    void strategiesThatNeedAMonolithOrTrueClustersAreRefusedBeforeLoading() {
        for (String s : List.of("oracle", "monolith")) {
            CliRun o = CliRun.of("generate", "--weights", tmp.resolve("not-downloaded").toString(), "--prompt", "x",
                    "--strategy", s, "--out", tmp.resolve("g.png").toString());
            assertEquals(1, o.code(), o.out());
            assertTrue(o.err().contains("Strategy '" + s + "'") && o.err().contains("Use top-1, top-2, full"), o.err());
        }
    }

    @Test
    void helpSaysWhereTheWeightsComeFromAndWhatTheyCost() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, ParisCli.run("generate", "--help"));
        } finally {
            System.setOut(old);
        }
        String help = buf.toString(StandardCharsets.UTF_8);
        for (String s : List.of("bageldotcom/paris", "MIT", "login", "paris datasets fetch paris-weights", "TFLOPs")) {
            assertTrue(help.contains(s), "help mentions " + s + ":\n" + help);
        }
    }
}
