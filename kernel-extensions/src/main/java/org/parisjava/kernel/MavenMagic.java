package org.parisjava.kernel;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.artifact.JavaScopes;

/**
 * {@code %maven G:A:V ...} and {@code %%loadFromPOM}: resolve dependencies with their transitive
 * ones into the local Maven repository ({@link MavenResolver}) and add the jars to the running
 * kernel. A library whose {@code groupId:artifactId} is already on the classpath (the kernel's own
 * libraries, or an earlier {@code %maven}) is skipped, and the cell says which were added and which
 * skipped, with the version already present.
 */
final class MavenMagic {
    private final ParisKernel kernel;
    private final Supplier<MavenSettings> settings;
    private MavenResolver resolver;
    private ClasspathArtifacts present;

    MavenMagic(ParisKernel kernel, Supplier<MavenSettings> settings) {
        this.kernel = kernel;
        this.settings = settings;
    }

    private MavenResolver resolver(int line) {
        if (resolver == null) {
            try {
                resolver = new MavenResolver(settings.get());
            } catch (IllegalArgumentException e) {
                throw LineMagics.error(line, e.getMessage());
            }
        }
        return resolver;
    }

    /** {@code %maven}: coordinates {@code groupId:artifactId[:extension[:classifier]]:version}, separated by spaces or commas. */
    void maven(String args, int line) {
        List<Dependency> deps = new ArrayList<>();
        for (String c : args.split("[\\s,]+")) {
            if (c.isBlank()) {
                continue;
            }
            try {
                deps.add(new Dependency(new DefaultArtifact(c.strip()), JavaScopes.COMPILE));
            } catch (IllegalArgumentException e) {
                throw LineMagics.error(line, "%maven: bad coordinates '" + c.strip()
                        + "' (expected groupId:artifactId:version, e.g. org.apache.commons:commons-collections4:4.4)");
            }
        }
        if (deps.isEmpty()) {
            throw LineMagics.error(line, "%maven needs coordinates, e.g. %maven org.apache.commons:commons-collections4:4.4");
        }
        resolveAndAdd(deps, List.of(), line, "%maven");
    }

    /** {@code %%loadFromPOM}: the cell after the magic line is a POM fragment; {@code firstLine} is its first cell line. */
    void loadFromPom(String xml, int firstLine) {
        PomFragment fragment;
        try {
            fragment = PomFragment.parse(xml);
        } catch (PomFragment.Invalid e) {
            int line = e.line() > 0 ? firstLine + e.line() - 1 : firstLine - 1;
            throw LineMagics.error(line, "%%loadFromPOM: " + e.getMessage());
        }
        resolveAndAdd(fragment.dependencies(), fragment.repositories(), firstLine - 1, "%%loadFromPOM");
    }

    private void resolveAndAdd(List<Dependency> deps, List<RemoteRepository> repositories, int line, String magic) {
        MavenResolver resolver = resolver(line);
        ClasspathArtifacts known = present(resolver);
        MavenResolver.Result result;
        try {
            PrintStream progress = System.out; // the cell's stdout, captured now: downloads report from other threads
            result = resolver.resolve(deps, repositories, known::contains, d -> progress.println("Downloaded " + d));
        } catch (MavenResolver.Failure e) {
            String what = deps.stream().map(d -> d.getArtifact().toString()).collect(Collectors.joining(", "));
            MavenSettings s = resolver.settings();
            throw new CellErrorException(CellErrorException.Kind.MAGIC_ERROR, "DependencyResolutionError",
                    "cell line " + line + ": " + magic + " could not resolve " + what + ": " + e.getMessage(),
                    List.of("Magic error at cell line " + line + ": " + magic + " could not resolve " + what,
                            "    " + e.getMessage(),
                            "    (searched " + s.centralUrl() + repositories.stream().map(r -> ", " + r.getUrl()).collect(Collectors.joining())
                                    + (s.offline() ? ", offline" : "") + "; local repository " + s.localRepository() + ")"));
        }
        List<String> files = new ArrayList<>();
        for (MavenResolver.Jar jar : result.jars()) {
            files.add(jar.file().toAbsolutePath().toString());
            known.add(jar.key(), jar.version());
        }
        if (!files.isEmpty()) {
            kernel.addToClasspath(String.join(File.pathSeparator, files));
            kernel.installExtensionsFromCells();
        }
        PrintStream out = System.out; // the cell's stdout while a cell runs
        out.println(result.jars().isEmpty() ? "Added no jars."
                : "Added " + result.jars().size() + (result.jars().size() == 1 ? " jar: " : " jars: ")
                        + result.jars().stream().map(Object::toString).collect(Collectors.joining(", ")));
        if (!result.skipped().isEmpty()) {
            out.println("Skipped (already on the classpath): " + result.skipped().stream()
                    .map(j -> j + " (" + known.version(j.key()).orElse("?") + " present)")
                    .collect(Collectors.joining(", ")));
        }
    }

    /** What is on the classpath now: the kernel's jars, identified once, plus what magics added since. */
    private ClasspathArtifacts present(MavenResolver resolver) {
        if (present == null) {
            Path home = Path.of(System.getProperty("user.home"));
            present = new ClasspathArtifacts(List.of(resolver.settings().localRepository(), home.resolve(".m2/repository")));
            present.addClasspath(kernel.cellClasspath());
            present.addClasspath(System.getProperty("java.class.path"));
        }
        return present;
    }

    /** Jars added by {@code %classpath} or {@code %jars} count as present too. */
    void noteAdded(String classpath) {
        if (present != null) {
            present.addClasspath(classpath);
        }
    }
}
