package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The launcher's choice of garbage collector: the serial collector unless the JVM options the user gives
 * already name one (two collectors stop the JVM with "Multiple garbage collectors selected"). Runs the
 * launcher's own {@code names_gc} function in bash, word by word as the launcher calls it.
 */
class LauncherGcOptionTest {

    private static final Path LAUNCHER = Path.of("..", "paris").toAbsolutePath().normalize();

    @Test
    void serialUnlessTheOptionsNameACollector() throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER.toString());
        assertEquals(false, namesGc(""));
        assertEquals(false, namesGc("-Xmx6g"));
        assertEquals(true, namesGc("-XX:+UseG1GC"));
        assertEquals(true, namesGc("-Xmx2g\t-XX:+UseZGC"));
        assertEquals(true, namesGc("-XX:+UseParallelGC -Xss4m"));
        // flags that merely contain "Use" and "GC" are not collectors
        assertEquals(false, namesGc("-XX:+UseLargePages -XX:+DisableExplicitGC"));
        assertEquals(false, namesGc("-XX:+UseNUMA -XX:+PrintGC"));
        assertEquals(false, namesGc("*"));
    }

    /** True when the launcher's names_gc finds a collector in {@code options}. */
    private static boolean namesGc(String options) throws IOException, InterruptedException {
        String script = "source <(sed -n '/^names_gc()/,/^}/p' \"$1\"); names_gc \"$2\"";
        Process p = new ProcessBuilder("bash", "-c", script, "bash", LAUNCHER.toString(), options)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertTrue(rc == 0 || rc == 1, "names_gc failed (" + rc + "): " + out);
        return rc == 0;
    }
}
