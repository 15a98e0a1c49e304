package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCommandTest {

    @Test
    void installsUnderADirOrAPrefix(@TempDir Path tmp) throws Exception {
        assertEquals(0, ParisCli.run("kernel", "install", "--dir", tmp.resolve("jp").toString()));
        String spec = Files.readString(tmp.resolve("jp/kernels/paris-java/kernel.json"));
        assertTrue(spec.contains("\"display_name\": \"Paris (Java)\"") && spec.contains("org.parisjava.kernel.ParisKernelMain"), spec);
        assertTrue(spec.contains("kernel-extensions"), "the kernel's classpath holds the extension: " + spec);

        assertEquals(0, ParisCli.run("kernel", "install", "--prefix", tmp.resolve("pre").toString(),
                "--jvm-option", "-Xmx3g"));
        assertTrue(Files.readString(tmp.resolve("pre/share/jupyter/kernels/paris-java/kernel.json")).contains("\"-Xmx3g\""));
        assertTrue(Files.isRegularFile(tmp.resolve("pre/share/jupyter/kernels/paris-java/kernel.json")));
    }

    @Test
    void helpPrintsTheUsageAndNoError() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            rc = ParisCli.run("kernel", "--help");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String usage = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc);
        assertTrue(usage.contains("Usage: paris kernel") && usage.contains("install") && usage.contains("classpath"), usage);
        assertEquals("", e.toString(StandardCharsets.UTF_8), "no \"Unknown option\" before the usage");
    }

    @Test
    void rejectsTwoPlacesAndABadJava(@TempDir Path tmp) {
        assertNotEquals(0, ParisCli.run("kernel", "install", "--dir", tmp.toString(), "--prefix", tmp.toString()));
        assertNotEquals(0, ParisCli.run("kernel", "install", "--dir", tmp.toString(), "--java", tmp.resolve("nojava").toString()));
    }
}
