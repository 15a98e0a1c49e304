package org.parisjava.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.parisjava.kernel.KernelInstaller;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code paris kernel install}: registers the "Paris (Java)" Jupyter kernel. */
@Command(name = "kernel", description = "Manage the Paris (Java) Jupyter kernel.",
        subcommands = {KernelCommand.Install.class, KernelCommand.Classpath.class})
public final class KernelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Write the paris-java kernelspec (paris-lib and the notebook extension on its classpath).")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final class Where {
            @Option(names = "--user", description = "For this user: ~/.local/share/jupyter/kernels (default).")
            boolean user;
            @Option(names = "--prefix", paramLabel = "P", description = "Under an installation prefix: P/share/jupyter/kernels.")
            Path prefix;
            @Option(names = "--dir", paramLabel = "D", description = "Under a JUPYTER_PATH-style folder: D/kernels.")
            Path dir;
        }

        @ArgGroup(exclusive = true)
        Where where;

        @Option(names = "--java", paramLabel = "PATH", description = "The java binary the kernel runs on (default: this one).")
        Path java;

        @Option(names = "--jvm-option", paramLabel = "OPT", description = "An extra JVM option for the kernel, e.g. -Xmx8g (repeatable).")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--name", defaultValue = KernelInstaller.KERNEL_NAME, description = "Kernelspec name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            Path kernels;
            if (where != null && where.prefix != null) {
                kernels = KernelInstaller.prefixKernelsDir(where.prefix.toAbsolutePath());
            } else if (where != null && where.dir != null) {
                kernels = KernelInstaller.jupyterPathKernelsDir(where.dir.toAbsolutePath());
            } else {
                kernels = KernelInstaller.userKernelsDir();
            }
            String home = System.getenv("PARIS_HOME");
            Path cache = (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("build/cache");
            KernelInstaller.Builder b = KernelInstaller.builder().cacheDir(cache).kernelName(name);
            if (java != null) {
                b.java(java.toAbsolutePath());
            }
            jvmOptions.forEach(b::jvmOption);
            Path dir = b.build().install(kernels);
            spec.commandLine().getOut().println("Installed kernelspec '" + name + "' (Paris (Java)) in " + dir);
            return 0;
        }
    }

    @Command(name = "classpath", mixinStandardHelpOptions = true,
            description = "Print the kernel's classpath (paris-lib, the extension, their dependencies), e.g. for JJAVA_CLASSPATH.")
    static final class Classpath implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(System.getProperty("java.class.path"));
            return 0;
        }
    }
}
