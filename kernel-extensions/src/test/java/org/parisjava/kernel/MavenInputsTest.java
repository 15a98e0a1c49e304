package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.eclipse.aether.graph.Dependency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code %maven} reads without the network: POM fragments, Maven settings, the jars on the classpath. */
class MavenInputsTest {

    private static String coords(Dependency d) {
        return d.getArtifact().toString();
    }

    @Test
    void fragmentsOfEveryShape() throws Exception {
        PomFragment two = PomFragment.parse("""
                <dependency><groupId>g.one</groupId><artifactId>a1</artifactId><version>1.0</version></dependency>
                <dependency>
                  <groupId>g.two</groupId><artifactId>a2</artifactId><version>2.0</version><classifier>linux-x86_64</classifier>
                  <exclusions><exclusion><groupId>x</groupId><artifactId>y</artifactId></exclusion></exclusions>
                </dependency>
                """);
        assertEquals(List.of("g.one:a1:jar:1.0", "g.two:a2:jar:linux-x86_64:2.0"), two.dependencies().stream().map(MavenInputsTest::coords).toList());
        assertEquals("x", two.dependencies().get(1).getExclusions().iterator().next().getGroupId());
        assertTrue(two.repositories().isEmpty());

        PomFragment list = PomFragment.parse("<dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>"
                + "<version>3</version><scope>test</scope></dependency></dependencies>");
        assertEquals(List.of("g:a:jar:3"), list.dependencies().stream().map(MavenInputsTest::coords).toList());

        PomFragment pom = PomFragment.parse("""
                <?xml version="1.0"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <properties><v>4.5</v></properties>
                  <repositories><repository><id>mine</id><url>https://example.org/m2/</url></repository></repositories>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>g</groupId><artifactId>managed</artifactId><version>${v}</version></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>g</groupId><artifactId>managed</artifactId></dependency>
                    <dependency><groupId>g</groupId><artifactId>direct</artifactId><version>${v}.1</version></dependency>
                  </dependencies>
                  <build><plugins><plugin><dependencies>
                    <dependency><groupId>not</groupId><artifactId>read</artifactId><version>1</version></dependency>
                  </dependencies></plugin></plugins></build>
                </project>
                """);
        assertEquals(List.of("g:managed:jar:4.5", "g:direct:jar:4.5.1"), pom.dependencies().stream().map(MavenInputsTest::coords).toList());
        assertEquals("https://example.org/m2/", pom.repositories().get(0).getUrl());
        assertEquals("mine", pom.repositories().get(0).getId());
    }

    @Test
    void badFragmentsSayWhatIsWrong() {
        PomFragment.Invalid noVersion = assertThrows(PomFragment.Invalid.class,
                () -> PomFragment.parse("<dependency><groupId>g</groupId><artifactId>a</artifactId></dependency>"));
        assertTrue(noVersion.getMessage().contains("g:a has no <version>"), noVersion.getMessage());
        PomFragment.Invalid unknownProperty = assertThrows(PomFragment.Invalid.class,
                () -> PomFragment.parse("<dependency><groupId>g</groupId><artifactId>a</artifactId><version>${nope}</version></dependency>"));
        assertTrue(unknownProperty.getMessage().contains("${nope}"), unknownProperty.getMessage());
        PomFragment.Invalid empty = assertThrows(PomFragment.Invalid.class, () -> PomFragment.parse("<project></project>"));
        assertTrue(empty.getMessage().contains("no <dependency>"), empty.getMessage());
        PomFragment.Invalid broken = assertThrows(PomFragment.Invalid.class,
                () -> PomFragment.parse("<?xml version=\"1.0\"?>\n<dependency>\n<groupId>g</groupId>\n</dependenc>"));
        assertEquals(4, broken.line(), "counted in the fragment as written, declaration included: " + broken.getMessage());
    }

    @Test
    void settingsGiveTheLocalRepositoryMirrorAndOffline(@TempDir Path tmp) throws Exception {
        MavenSettings none = MavenSettings.read(tmp.resolve("absent.xml"), tmp, null);
        assertEquals(tmp.resolve(".m2/repository").toAbsolutePath(), none.localRepository());
        assertEquals(MavenSettings.CENTRAL_URL, none.centralUrl());
        assertFalse(none.offline());

        Path xml = tmp.resolve("settings.xml");
        Files.writeString(xml, """
                <settings>
                  <localRepository>${user.home}/elsewhere/repo</localRepository>
                  <offline>true</offline>
                  <mirrors>
                    <mirror><id>other</id><mirrorOf>snapshots</mirrorOf><url>https://wrong.example/</url></mirror>
                    <mirror><id>corp</id><mirrorOf>external:*,!internal</mirrorOf><url>https://nexus.example/maven/</url></mirror>
                  </mirrors>
                </settings>
                """);
        MavenSettings s = MavenSettings.read(xml, tmp, null);
        assertEquals(tmp.resolve("elsewhere/repo").toAbsolutePath(), s.localRepository());
        assertEquals("https://nexus.example/maven/", s.centralUrl());
        assertTrue(s.offline());
        assertEquals(tmp.resolve("cli").toAbsolutePath(), MavenSettings.read(xml, tmp, tmp.resolve("cli").toString()).localRepository(),
                "-Dmaven.repo.local wins, as in Maven");

        Files.writeString(xml, "<settings><localRepository>");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> MavenSettings.read(xml, tmp, null));
        assertTrue(bad.getMessage().contains(xml.toString()), bad.getMessage());
    }

    @Test
    void jarsAreKnownByRepositoryLayoutOrTheirPomProperties(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Path inRepo = jar(repo.resolve("org/example/tools/toolkit/1.2/toolkit-1.2.jar"), List.of());
        Path loose = jar(tmp.resolve("lib/shaded-2.0.jar"), List.of(
                new String[] {"com.other", "inner", "9.9"}, new String[] {"com.example", "shaded", "2.0"}));
        Path single = jar(tmp.resolve("lib/renamed.jar"), List.<String[]>of(new String[] {"net.one", "only", "0.1"}));
        Path unknown = jar(tmp.resolve("lib/plain.jar"), List.of());

        ClasspathArtifacts known = new ClasspathArtifacts(List.of(repo));
        known.addClasspath(String.join(java.io.File.pathSeparator, inRepo.toString(), loose.toString(), single.toString(),
                unknown.toString(), tmp.resolve("classes").toString()));
        assertEquals("1.2", known.version("org.example.tools:toolkit").orElseThrow());
        assertEquals("2.0", known.version("com.example:shaded").orElseThrow(), "a shaded jar is the one named like its file");
        assertFalse(known.contains("com.other:inner"), "not the libraries shaded into it");
        assertEquals("0.1", known.version("net.one:only").orElseThrow());
        assertEquals(3, known.size(), "a jar that tells nothing is not guessed at");
    }

    /** A jar at {@code file} holding a pom.properties per {@code {groupId, artifactId, version}}. */
    private static Path jar(Path file, List<String[]> poms) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream jos = new JarOutputStream(os)) {
            jos.putNextEntry(new JarEntry("README.txt"));
            jos.write("x".getBytes(StandardCharsets.UTF_8));
            for (String[] p : poms) {
                jos.putNextEntry(new JarEntry("META-INF/maven/" + p[0] + "/" + p[1] + "/pom.properties"));
                jos.write(("groupId=" + p[0] + "\nartifactId=" + p[1] + "\nversion=" + p[2] + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
