package org.parisjava.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real Jupyter for tests: Debian's {@code /usr/bin/jupyter} and {@code /usr/bin/python3}, a
 * paris-java kernelspec installed into a temporary {@code JUPYTER_PATH} whose classpath is this
 * test JVM's (the built classes and jars), and a private runtime folder.
 */
final class JupyterFixture {
    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    static final Path PYTHON = Path.of("/usr/bin/python3");

    final Path root;
    final Map<String, String> env = new HashMap<>();

    private JupyterFixture(Path root) {
        this.root = root;
    }

    /** Skips the test when Debian's Jupyter packages are missing (./paris test installs them). */
    static void assumeJupyter() {
        assumeTrue(Files.isExecutable(JUPYTER) && Files.isExecutable(PYTHON),
                "Debian's jupyter-nbconvert / jupyter-client are not installed");
    }

    /** Installs the kernelspec for {@code java} under {@code root} and prepares the environment. */
    static JupyterFixture install(Path root, Path java) throws IOException {
        assumeJupyter();
        JupyterFixture f = new JupyterFixture(root);
        Path jupyterPath = Files.createDirectories(root.resolve("jupyter"));
        KernelInstaller.builder()
                .java(java)
                .classpath(System.getProperty("java.class.path"))
                .cacheDir(repoRoot().resolve("build/cache"))
                .build()
                .install(KernelInstaller.jupyterPathKernelsDir(jupyterPath));
        f.env.put("JUPYTER_PATH", jupyterPath.toString());
        f.env.put("JUPYTER_RUNTIME_DIR", Files.createDirectories(root.resolve("runtime")).toString());
        f.env.put("JUPYTER_DATA_DIR", Files.createDirectories(root.resolve("data")).toString());
        f.env.put("JUPYTER_CONFIG_DIR", Files.createDirectories(root.resolve("config")).toString());
        f.env.put("PARIS_SCALE", "smoke");
        return f;
    }

    /** The repository root (surefire passes it as {@code paris.repo}; else the module's parent). */
    static Path repoRoot() {
        String repo = System.getProperty("paris.repo");
        return repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
    }

    /** This JVM's java binary. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * A JDK newer than 21 to check the kernel on JShell's changed internals: {@code PARIS_TEST_NEW_JAVA}
     * if set, else the newest found under the standard {@code /usr/lib/jvm}.
     */
    static Optional<Path> newerJava() {
        String set = System.getenv("PARIS_TEST_NEW_JAVA");
        if (set != null && !set.isBlank()) {
            return Optional.of(Path.of(set));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(jvms)) {
            return s.map(p -> p.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .filter(j -> KernelInstaller.javaMajorVersion(j) >= 22)
                    .max(java.util.Comparator.comparingInt(KernelInstaller::javaMajorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    record Result(int exit, String out, String err, boolean timedOut) {
    }

    /** Runs a command with this fixture's environment; output goes through files (no pipe stalls). */
    Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(done ? p.exitValue() : -1, Files.readString(out), Files.readString(err), !done);
    }
}
