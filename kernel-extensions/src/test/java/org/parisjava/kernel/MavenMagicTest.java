package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %maven} and {@code %%loadFromPOM} against the real Maven Central, into a fresh local
 * repository, with libraries that are not on the project's classpath (commons-collections4,
 * commons-text, commons-rng), and their failures: an unknown artifact, no network, offline, bad
 * coordinates, a malformed fragment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MavenMagicTest {
    private Path repo;
    private ParisKernel kernel;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        repo = Files.createDirectories(tmp.resolve("m2-repository"));
        kernel = ParisKernel.builder().mavenSettings(new MavenSettings(repo, MavenSettings.CENTRAL_URL, false)).build();
        kernel.onStartup();
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    private static void assertNotOnTheProjectClasspath(String artifactId) {
        assertFalse(System.getProperty("java.class.path").contains("/" + artifactId + "/"),
                artifactId + " must not already be on the classpath for this test to mean anything");
    }

    private boolean downloaded(String artifactId) throws IOException {
        try (Stream<Path> s = Files.walk(repo)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(artifactId + "-") && p.toString().endsWith(".jar"));
        }
    }

    @Test
    void mavenAddsTransitiveJarsAndSkipsWhatTheKernelHas() throws Exception {
        assertNotOnTheProjectClasspath("commons-collections4");
        assertNotOnTheProjectClasspath("commons-text");
        assertTrue(System.getProperty("java.class.path").contains("/commons-lang3/"), "commons-lang3 comes with paris-lib");

        CellMagicsTest.Run r = CellMagicsTest.capture(() -> kernel.evalRaw(
                "%maven org.apache.commons:commons-collections4:4.4 org.apache.commons:commons-text:1.12.0"));
        assertTrue(r.out().contains("Added 2 jars: org.apache.commons:commons-collections4:4.4, org.apache.commons:commons-text:1.12.0"), r.out());
        assertTrue(r.out().matches("(?s).*Skipped \\(already on the classpath\\): org\\.apache\\.commons:commons-lang3:3\\.14\\.0 \\(3\\.[0-9.]+ present\\).*"),
                "commons-text's commons-lang3 is the kernel's own: " + r.out());
        assertTrue(downloaded("commons-collections4") && downloaded("commons-text"), "downloaded into the local repository");
        assertTrue(r.out().contains("Downloaded commons-collections4-4.4.jar (") && r.out().contains(" kB from central)"), r.out());
        assertFalse(downloaded("commons-lang3"), "a skipped jar is not even downloaded");

        assertEquals(2, kernel.evalRaw("new org.apache.commons.collections4.bag.HashBag<String>(List.of(\"a\", \"a\", \"b\")).getCount(\"a\")"));
        assertEquals("Paris In Java", kernel.evalRaw("org.apache.commons.text.WordUtils.capitalize(\"paris in java\")"));

        CellMagicsTest.Run again = CellMagicsTest.capture(() -> kernel.evalRaw("%maven org.apache.commons:commons-collections4:4.1"));
        assertTrue(again.out().contains("Added no jars.") && again.out().contains("commons-collections4:4.1 (4.4 present)"), again.out());
    }

    @Test
    void loadFromPomReadsAWholePomWithRepositoriesAndProperties() throws Exception {
        assertNotOnTheProjectClasspath("commons-rng-simple");
        String pom = """
                %%loadFromPOM
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <properties><rng.version>1.6</rng.version></properties>
                  <repositories>
                    <repository><id>central-by-its-other-name</id><url>https://repo1.maven.org/maven2/</url></repository>
                  </repositories>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-rng-simple</artifactId><version>${rng.version}</version></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-rng-simple</artifactId></dependency>
                  </dependencies>
                </project>
                """;
        CellMagicsTest.Run r = CellMagicsTest.capture(() -> kernel.evalRaw(pom));
        assertTrue(r.out().contains("Added 3 jars:") && r.out().contains("org.apache.commons:commons-rng-simple:1.6")
                && r.out().contains("org.apache.commons:commons-rng-core:1.6")
                && r.out().contains("org.apache.commons:commons-rng-client-api:1.6"), "the transitive dependencies too: " + r.out());
        Object draw = kernel.evalRaw("org.apache.commons.rng.simple.RandomSource.XO_RO_SHI_RO_128_PP.create(42L).nextInt(1000)");
        assertTrue(draw instanceof Integer i && i >= 0 && i < 1000, String.valueOf(draw));
    }

    @Test
    void failuresAreReadableErrors(@TempDir Path other) throws Exception {
        CellErrorException unknown = assertThrows(CellErrorException.class,
                () -> kernel.evalRaw("int before = 1;\n%maven org.parisjava.nosuch:no-such-artifact:1.0"));
        assertEquals(CellErrorException.Kind.MAGIC_ERROR, unknown.kind());
        String report = String.join("\n", unknown.report());
        assertTrue(report.startsWith("Magic error at cell line 2: %maven could not resolve org.parisjava.nosuch:no-such-artifact:jar:1.0"), report);
        assertTrue(report.contains("not find artifact org.parisjava.nosuch:no-such-artifact") && report.contains("repo.maven.apache.org"), report);
        assertFalse(report.contains("\tat ") || report.contains("Exception:"), "no stack trace: " + report);

        // one notebook kernel per JVM: the same kernel, with %maven pointed elsewhere
        MavenMagic unreachable = new MavenMagic(kernel, () -> new MavenSettings(other.resolve("repo"), "http://127.0.0.1:1/maven2/", false));
        CellErrorException net = assertThrows(CellErrorException.class,
                () -> unreachable.maven("org.apache.commons:commons-collections4:4.4", 1));
        String why = String.join("\n", net.report());
        assertTrue(why.contains("commons-collections4") && why.contains("127.0.0.1:1"), why);
        assertTrue(why.toLowerCase(java.util.Locale.ROOT).contains("refused"), "says the connection was refused: " + why);

        MavenMagic offline = new MavenMagic(kernel, () -> new MavenSettings(other.resolve("repo2"), MavenSettings.CENTRAL_URL, true));
        CellErrorException off = assertThrows(CellErrorException.class,
                () -> offline.maven("org.apache.commons:commons-collections4:4.4", 1));
        assertTrue(String.join("\n", off.report()).contains("offline"), String.join("\n", off.report()));

        CellErrorException bad = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%maven commons-collections4"));
        assertTrue(bad.getMessage().contains("bad coordinates 'commons-collections4'"), bad.getMessage());

        CellErrorException xml = assertThrows(CellErrorException.class,
                () -> kernel.evalRaw("%%loadFromPOM\n<dependency>\n  <groupId>a</groupId>\n</dependenc>"));
        assertTrue(xml.getMessage().contains("cell line 4") && xml.getMessage().contains("not well-formed"), xml.getMessage());
    }
}
