package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelInstallerTest {

    @Test
    void writesAKernelspecJupyterCanRead(@TempDir Path tmp) throws Exception {
        Path dir = KernelInstaller.builder().classpath("a.jar:b.jar").cacheDir(tmp.resolve("cache")).build()
                .install(KernelInstaller.prefixKernelsDir(tmp.resolve("prefix")));
        assertEquals(tmp.resolve("prefix/share/jupyter/kernels/paris-java"), dir);
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Paris (Java)", spec.get("display_name").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertEquals(JupyterFixture.currentJava().toString(), argv.get(0));
        assertTrue(argv.contains("-Djava.awt.headless=true"));
        assertTrue(argv.contains("-Dai.djl.offline=true"));
        assertTrue(argv.contains("-DDJL_CACHE_DIR=" + tmp.resolve("cache/djl")));
        assertEquals("a.jar:b.jar", argv.get(argv.indexOf("-cp") + 1));
        assertEquals(List.of(ParisKernelMain.class.getName(), "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
        boolean newJdk = Runtime.version().feature() >= 22;
        assertEquals(newJdk, argv.contains("--enable-native-access=ALL-UNNAMED"));
        // idle OpenMP threads sleep: a kernel shares the machine with other work
        assertEquals("PASSIVE", spec.getAsJsonObject("env").get("OMP_WAIT_POLICY").getAsString());
    }

    @Test
    void nativeAccessFlagFollowsTheTargetJdk(@TempDir Path tmp) {
        JupyterFixture.newerJava().ifPresent(java -> {
            List<String> argv = KernelInstaller.builder().java(java).classpath("x.jar").cacheDir(tmp).build().argv();
            assertTrue(argv.contains("--enable-native-access=ALL-UNNAMED"), argv.toString());
        });
        assertEquals(Runtime.version().feature(), KernelInstaller.javaMajorVersion(JupyterFixture.currentJava()));
    }

    @Test
    void badSettingsNameTheProblem(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelInstaller.builder().java(tmp.resolve("nojava")).build());
        assertTrue(e.getMessage().contains("nojava"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelInstaller.builder().kernelName("a b").build());
    }
}
