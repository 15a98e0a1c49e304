package org.parisjava.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.GsonBuilder;
import org.parisjava.io.AtomicFiles;

/**
 * Writes the {@code paris-java} Jupyter kernelspec ({@code <kernels dir>/paris-java/kernel.json}):
 * the java binary, JVM options (headless AWT, DJL offline with its cache in {@code cacheDir},
 * {@code --enable-native-access=ALL-UNNAMED} on JDK 22+), the classpath, {@link ParisKernelMain}
 * and {@code {connection_file}}. Interrupts travel as messages, which the kernel turns into a stop
 * of the running cell.
 *
 * <pre>{@code
 * Path dir = KernelInstaller.builder().classpath(cp).cacheDir(root.resolve("build/cache")).build()
 *         .install(KernelInstaller.userKernelsDir());
 * }</pre>
 */
public final class KernelInstaller {
    public static final String KERNEL_NAME = "paris-java";
    public static final String DISPLAY_NAME = "Paris (Java)";

    private final Path java;
    private final String classpath;
    private final Path cacheDir;
    private final String kernelName;
    private final String displayName;
    private final List<String> extraJvmOptions;

    private KernelInstaller(Builder b) {
        this.java = b.java;
        this.classpath = b.classpath;
        this.cacheDir = b.cacheDir;
        this.kernelName = b.kernelName;
        this.displayName = b.displayName;
        this.extraJvmOptions = List.copyOf(b.extraJvmOptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The per-user kernels folder Jupyter reads: ~/.local/share/jupyter/kernels (~/Library/Jupyter/kernels on macOS). */
    public static Path userKernelsDir() {
        Path home = Path.of(System.getProperty("user.home"));
        if (System.getProperty("os.name", "").toLowerCase().contains("mac")) {
            return home.resolve("Library/Jupyter/kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share");
        return data.resolve("jupyter/kernels");
    }

    /** The kernels folder under an installation prefix: {@code <prefix>/share/jupyter/kernels}. */
    public static Path prefixKernelsDir(Path prefix) {
        return prefix.resolve("share/jupyter/kernels");
    }

    /** The kernels folder of a {@code JUPYTER_PATH} entry: {@code <dir>/kernels}. */
    public static Path jupyterPathKernelsDir(Path jupyterPathEntry) {
        return jupyterPathEntry.resolve("kernels");
    }

    /** Writes {@code <kernelsDir>/<name>/kernel.json} (replacing an older one) and returns its folder. */
    public Path install(Path kernelsDir) {
        Path dir = kernelsDir.resolve(kernelName);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create kernelspec folder " + dir + ": " + e.getMessage(), e);
        }
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(kernelSpec());
        AtomicFiles.writeString(dir.resolve("kernel.json"), json + "\n");
        return dir;
    }

    /** The kernel.json content. */
    public Map<String, Object> kernelSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv());
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DJL_OFFLINE", "true");
        env.put("DJL_CACHE_DIR", cacheDir.resolve("djl").toString());
        env.put("ENGINE_CACHE_DIR", cacheDir.resolve("djl").toString());
        // idle OpenMP threads sleep instead of spinning: a notebook shares its cores with other work
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        spec.put("env", env);
        return spec;
    }

    /** The kernel's command line; {@code {connection_file}} is filled in by Jupyter. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.add("-Djava.awt.headless=true");
        argv.add("-Dai.djl.offline=true");
        argv.add("-DDJL_CACHE_DIR=" + cacheDir.resolve("djl"));
        argv.add("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir.resolve("javacpp"));
        // notebooks show progress as displays; the library's INFO log lines would only repeat it
        argv.add("-Dorg.slf4j.simpleLogger.log.org.parisjava=warn");
        argv.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error");
        if (javaMajorVersion(java) >= 22) {
            argv.add("--enable-native-access=ALL-UNNAMED");
        }
        argv.addAll(extraJvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(ParisKernelMain.class.getName());
        argv.add("{connection_file}");
        return argv;
    }

    /**
     * The feature version of the JDK a java binary belongs to: read from the JDK's {@code release}
     * file, else from {@code java -version}; 17 when neither says.
     */
    public static int javaMajorVersion(Path java) {
        Path home = java.toAbsolutePath().getParent() == null ? null : java.toAbsolutePath().getParent().getParent();
        Pattern p = Pattern.compile("(?:JAVA_VERSION=|version \")\"?(\\d+)(?:\\.(\\d+))?");
        try {
            if (home != null && Files.isRegularFile(home.resolve("release"))) {
                Matcher m = p.matcher(Files.readString(home.resolve("release")));
                if (m.find()) {
                    return major(m);
                }
            }
            Process proc = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes());
            proc.waitFor(30, TimeUnit.SECONDS);
            Matcher m = p.matcher(out);
            if (m.find()) {
                return major(m);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run java binary " + java + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 17;
    }

    private static int major(Matcher m) {
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    /** Settings of a kernelspec; every one has a default. */
    public static final class Builder {
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private String classpath = System.getProperty("java.class.path");
        private Path cacheDir = Path.of("build", "cache").toAbsolutePath();
        private String kernelName = KERNEL_NAME;
        private String displayName = DISPLAY_NAME;
        private final List<String> extraJvmOptions = new ArrayList<>();

        private Builder() {
        }

        /** The java binary the kernel runs on (default: this JVM's). */
        public Builder java(Path java) {
            this.java = Objects.requireNonNull(java, "java");
            return this;
        }

        /** The kernel's classpath: paris-lib, kernel-extensions and their dependencies (default: this JVM's). */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Where DJL and JavaCPP unpack native libraries (default: build/cache of the working directory). */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath();
            return this;
        }

        /** The kernelspec folder name (default {@value KernelInstaller#KERNEL_NAME}). */
        public Builder kernelName(String kernelName) {
            this.kernelName = Objects.requireNonNull(kernelName, "kernelName");
            return this;
        }

        public Builder displayName(String displayName) {
            this.displayName = Objects.requireNonNull(displayName, "displayName");
            return this;
        }

        /** More JVM options (e.g. {@code -Xmx8g}), placed before {@code -cp}. */
        public Builder jvmOption(String option) {
            this.extraJvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        public KernelInstaller build() {
            if (!Files.isExecutable(java)) {
                throw new IllegalArgumentException("java binary not found or not executable: " + java);
            }
            if (classpath == null || classpath.isBlank()) {
                throw new IllegalArgumentException("the kernel classpath is empty");
            }
            if (!kernelName.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("invalid kernel name (letters, digits, . _ - only): " + kernelName);
            }
            return new KernelInstaller(this);
        }
    }
}
