package org.parisjava.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Maven artifacts ({@code groupId:artifactId -> version}) whose jars are on the kernel's
 * classpath, so that {@code %maven} does not add a second copy of a library the kernel already
 * has (the class loader would use the first one anyway, and two versions of one library on a
 * classpath is the classic source of {@code NoSuchMethodError}).
 *
 * <p>A jar is identified by its place in a local Maven repository
 * ({@code ROOT/group/path/artifactId/version/artifactId-version.jar}), else by the
 * {@code META-INF/maven/.../pom.properties} Maven writes into the jars it builds. Class folders and
 * jars that carry neither are not identified.
 */
final class ClasspathArtifacts {
    private final Map<String, String> versions = new LinkedHashMap<>();
    private final List<Path> repositoryRoots;

    ClasspathArtifacts(List<Path> repositoryRoots) {
        this.repositoryRoots = repositoryRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Identifies every jar of {@code classpath} (entries separated by the platform's path separator). */
    void addClasspath(String classpath) {
        if (classpath == null) {
            return;
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                identify(Path.of(entry)).ifPresent(a -> versions.putIfAbsent(a[0], a[1]));
            }
        }
    }

    /** Records an artifact added by other means (a resolved jar). */
    void add(String key, String version) {
        versions.putIfAbsent(key, version);
    }

    /** The version on the classpath of {@code groupId:artifactId}, if any. */
    Optional<String> version(String key) {
        return Optional.ofNullable(versions.get(key));
    }

    boolean contains(String key) {
        return versions.containsKey(key);
    }

    int size() {
        return versions.size();
    }

    /** {@code [groupId:artifactId, version]} of a jar, if it can be told. */
    Optional<String[]> identify(Path jar) {
        String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
        if (!name.endsWith(".jar") || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        Path abs = jar.toAbsolutePath().normalize();
        for (Path root : repositoryRoots) {
            if (abs.startsWith(root) && abs.getNameCount() - root.getNameCount() >= 4) {
                Path rel = root.relativize(abs);
                int n = rel.getNameCount();
                String artifactId = rel.getName(n - 3).toString();
                String version = rel.getName(n - 2).toString();
                if (name.startsWith(artifactId + "-" + version)) {
                    String groupId = rel.subpath(0, n - 3).toString().replace(File.separatorChar, '.');
                    return Optional.of(new String[] {groupId + ":" + artifactId, version});
                }
            }
        }
        return fromPomProperties(jar, name);
    }

    /** The jar's own pom.properties; a shaded jar holds several, and the one named like the file is its own. */
    private static Optional<String[]> fromPomProperties(Path jar, String fileName) {
        List<String[]> found = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = jf.getInputStream(e)) {
                        p.load(in);
                    }
                    String g = p.getProperty("groupId");
                    String a = p.getProperty("artifactId");
                    String v = p.getProperty("version");
                    if (g != null && a != null && v != null) {
                        found.add(new String[] {g + ":" + a, v, a + "-" + v});
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // not a readable jar: nothing to tell
        }
        if (found.size() == 1) {
            return Optional.of(new String[] {found.get(0)[0], found.get(0)[1]});
        }
        return found.stream().filter(f -> fileName.startsWith(f[2])).findFirst().map(f -> new String[] {f[0], f[1]});
    }
}
