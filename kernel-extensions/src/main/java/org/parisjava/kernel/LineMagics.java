package org.parisjava.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's line magics. {@code %classpath a.jar:classes/} adds paths as they are (separated by
 * the platform path separator or spaces); {@code %jars lib/*.jar} expands globs in the last path
 * element. A path that does not exist is an error that names it. Jars that carry a JJava
 * {@code Extension} get it installed. {@code %maven} ({@link MavenMagic}), {@code %time}
 * ({@link CellTimer}) and {@code %load} ({@link LoadMagic}) have classes of their own.
 */
final class LineMagics {
    private final ParisKernel kernel;

    LineMagics(ParisKernel kernel) {
        this.kernel = kernel;
    }

    static final String KNOWN = "%classpath, %jars, %maven, %load, %time; cell magics %%time, %%loadFromPOM";

    /** Runs line magic {@code %name args} at cell line {@code line}; returns its value or {@link JShellSession#NO_VALUE}. */
    Object run(String name, String args, int line) {
        switch (name) {
            case "maven" -> {
                kernel.maven().maven(args, line);
                return JShellSession.NO_VALUE;
            }
            case "load" -> {
                return kernel.loader().load(args, line);
            }
            case "time" -> {
                return CellTimer.time(() -> kernel.evalCell(args, line));
            }
            case "classpath", "cp", "jars" -> {
                addPaths(name, args, line);
                return JShellSession.NO_VALUE;
            }
            default -> throw error(line, "unknown line magic %" + name + " (known: " + KNOWN + ")");
        }
    }

    private void addPaths(String name, String args, int line) {
        List<Path> paths = name.equals("jars") ? globbed(split(args), line) : existing(split(args), line);
        if (paths.isEmpty()) {
            throw error(line, "%" + name + " needs at least one path");
        }
        List<String> strings = paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        String joined = String.join(File.pathSeparator, strings);
        kernel.addToClasspath(joined);
        kernel.maven().noteAdded(joined);
        kernel.installExtensionsFromCells();
    }

    /** {@code "a b"} or {@code 'a b'} without its quotes; anything else as is. */
    static String unquote(String p) {
        if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) {
            return p.substring(1, p.length() - 1);
        }
        return p;
    }

    private static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        for (String part : args.split("[\\s" + File.pathSeparator + "]+")) {
            String p = unquote(part.strip());
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> existing(List<String> args, int line) {
        List<Path> out = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.exists(p)) {
                throw error(line, "classpath entry not found: " + p.toAbsolutePath());
            }
            out.add(p);
        }
        return out;
    }

    private static List<Path> globbed(List<String> args, int line) {
        List<Path> out = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            String last = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
                out.addAll(existing(List.of(a), line));
                continue;
            }
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            int before = out.size();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
                ds.forEach(out::add);
            } catch (IOException e) {
                throw error(line, "cannot list " + dir.toAbsolutePath() + ": " + e.getMessage());
            }
            if (out.size() == before) {
                throw error(line, "no file matches " + p.toAbsolutePath());
            }
        }
        return out;
    }

    static CellErrorException error(int line, String message) {
        return new CellErrorException(CellErrorException.Kind.MAGIC_ERROR, "MagicError",
                "cell line " + line + ": " + message, List.of("Magic error at cell line " + line + ": " + message));
    }
}
