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
 * {@code Extension} get it installed.
 */
final class LineMagics {
    private final ParisKernel kernel;

    LineMagics(ParisKernel kernel) {
        this.kernel = kernel;
    }

    void run(String name, String args, int line) {
        List<Path> paths = switch (name) {
            case "classpath", "cp" -> existing(split(args), line);
            case "jars" -> globbed(split(args), line);
            default -> throw error(line, "unknown line magic %" + name + " (known: %classpath, %jars)");
        };
        if (paths.isEmpty()) {
            throw error(line, "%" + name + " needs at least one path");
        }
        List<String> strings = paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        kernel.addToClasspath(String.join(File.pathSeparator, strings));
        kernel.installExtensionsFromCells();
    }

    private static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        for (String part : args.split("[\\s" + File.pathSeparator + "]+")) {
            String p = part.strip();
            if (p.length() >= 2 && (p.startsWith("\"") && p.endsWith("\"") || p.startsWith("'") && p.endsWith("'"))) {
                p = p.substring(1, p.length() - 1);
            }
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

    private static CellErrorException error(int line, String message) {
        return new CellErrorException(CellErrorException.Kind.MAGIC_ERROR, "MagicError",
                "cell line " + line + ": " + message, List.of("Magic error at cell line " + line + ": " + message));
    }
}
