package org.parisjava.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands a WebDataset shard pattern into files, in order: brace ranges as WebDataset writes them
 * ({@code data/{00000..00009}.tar}, zero padding kept), brace lists ({@code {train,val}.tar}), and
 * file-system globs ({@code shards/*.tar}, {@code shards/**}{@code /part-?.tar}), sorted by path.
 */
public final class ShardPattern {
    private ShardPattern() {
    }

    /** The shard files the pattern names; fails naming the pattern when one is missing or none match. */
    public static List<Path> resolve(String pattern) {
        List<Path> out = new ArrayList<>();
        for (String p : expandBraces(pattern)) {
            if (hasGlob(p)) {
                List<Path> matched = glob(p);
                out.addAll(matched);
            } else {
                Path file = Path.of(p);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("WebDataset shard not found: " + file + " (from pattern '" + pattern + "')");
                }
                out.add(file);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("No WebDataset shards match '" + pattern + "'");
        }
        return out;
    }

    /** Expands the first brace group, then recurses: "a{1..2}b{x,y}" gives a1bx, a1by, a2bx, a2by. */
    static List<String> expandBraces(String pattern) {
        int open = pattern.indexOf('{');
        if (open < 0) {
            return List.of(pattern);
        }
        int close = pattern.indexOf('}', open);
        if (close < 0) {
            throw new IllegalArgumentException("Unclosed '{' in shard pattern '" + pattern + "'");
        }
        String head = pattern.substring(0, open);
        String body = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        List<String> choices = new ArrayList<>();
        int range = body.indexOf("..");
        if (range >= 0) {
            String lo = body.substring(0, range);
            String hi = body.substring(range + 2);
            long a;
            long b;
            try {
                a = Long.parseLong(lo);
                b = Long.parseLong(hi);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad range {" + body + "} in shard pattern '" + pattern + "'");
            }
            if (b < a) {
                throw new IllegalArgumentException("Empty range {" + body + "} in shard pattern '" + pattern + "'");
            }
            int width = lo.startsWith("0") ? lo.length() : 0;
            for (long i = a; i <= b; i++) {
                choices.add(width > 0 ? String.format("%0" + width + "d", i) : Long.toString(i));
            }
        } else {
            choices.addAll(List.of(body.split(",", -1)));
        }
        List<String> out = new ArrayList<>();
        for (String c : choices) {
            for (String rest : expandBraces(tail)) {
                out.add(head + c + rest);
            }
        }
        return out;
    }

    private static boolean hasGlob(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
    }

    private static List<Path> glob(String pattern) {
        // Walk from the deepest directory that has no glob characters.
        Path full = Path.of(pattern);
        Path base = full.getRoot();
        int depth = 0;
        boolean globbing = false;
        for (Path part : full) {
            if (!globbing && !hasGlob(part.toString())) {
                base = base == null ? part : base.resolve(part);
            } else {
                globbing = true;
                depth++;
            }
        }
        Path start = base == null ? Path.of("") : base;
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        boolean deep = pattern.contains("**");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> walk = Files.walk(start, deep ? Integer.MAX_VALUE : depth)) {
            return walk.filter(Files::isRegularFile)
                    .filter(matcher::matches)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + start + " for pattern '" + pattern + "'", e);
        }
    }
}
