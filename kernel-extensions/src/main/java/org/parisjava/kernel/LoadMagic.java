package org.parisjava.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * {@code %load PATH}: runs a Java file (or a JShell script) as if its text were the cell, or the
 * code cells of another notebook ({@code .ipynb}) one after another, as the kernel runs cells
 * (magics included). Relative paths are relative to the kernel's working folder, which Jupyter
 * sets to the notebook's folder. The value is the last code's value. A {@code package} line is
 * blanked (JShell has no packages); errors name the file and, for a notebook, the code cell.
 */
final class LoadMagic {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+[\\w.]+\\s*;");

    private final ParisKernel kernel;
    private final Set<Path> loading = new HashSet<>();

    LoadMagic(ParisKernel kernel) {
        this.kernel = kernel;
    }

    Object load(String args, int line) {
        String arg = LineMagics.unquote(args.strip());
        if (arg.isEmpty()) {
            throw LineMagics.error(line, "%load needs a path to a .java file or a notebook (.ipynb)");
        }
        Path file = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw LineMagics.error(line, "%load: file not found: " + file);
        }
        if (!loading.add(file)) {
            throw LineMagics.error(line, "%load: " + file + " is already being loaded (it loads itself)");
        }
        try {
            String text = read(file, line);
            if (file.getFileName().toString().endsWith(".ipynb")) {
                Object value = JShellSession.NO_VALUE;
                List<String> cells = codeCells(file, text, line);
                for (int i = 0; i < cells.size(); i++) {
                    value = run(cells.get(i), file + " (code cell " + (i + 1) + ")");
                }
                return value;
            }
            return run(blankPackage(text), file.toString());
        } finally {
            loading.remove(file);
        }
    }

    private Object run(String code, String where) {
        try {
            return kernel.evalCell(code, 1);
        } catch (CellErrorException e) {
            List<String> report = new ArrayList<>();
            report.add("In " + where + ":");
            report.addAll(e.report());
            throw new CellErrorException(e.kind(), e.errorName(), "in " + where + ": " + e.getMessage(), report);
        }
    }

    private static String read(Path file, int line) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw LineMagics.error(line, "%load: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A package declaration becomes blanks of the same length, so that lines and columns still match the file. */
    static String blankPackage(String java) {
        Matcher m = PACKAGE.matcher(java);
        if (!m.find()) {
            return java;
        }
        return java.substring(0, m.start()) + m.group().replaceAll("[^\\n]", " ") + java.substring(m.end());
    }

    /** The sources of a notebook's code cells, in order. */
    static List<String> codeCells(Path file, String json, int line) {
        JsonObject nb;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("cells")) {
                throw LineMagics.error(line, "%load: " + file + " is not a notebook (no \"cells\")");
            }
            nb = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw LineMagics.error(line, "%load: " + file + " is not valid JSON: " + e.getMessage());
        }
        String language = language(nb);
        if (language != null && !language.equalsIgnoreCase("java")) {
            throw LineMagics.error(line, "%load: " + file + " is a " + language + " notebook; %load runs Java code cells");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!cell.has("cell_type") || !cell.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            JsonElement src = cell.get("source");
            StringBuilder sb = new StringBuilder();
            if (src != null && src.isJsonArray()) {
                for (JsonElement l : (JsonArray) src) {
                    sb.append(l.getAsString()); // nbformat keeps each line's '\n'
                }
            } else if (src != null && src.isJsonPrimitive()) {
                sb.append(src.getAsString());
            }
            if (!sb.toString().isBlank()) {
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static String language(JsonObject nb) {
        JsonObject meta = nb.has("metadata") && nb.get("metadata").isJsonObject() ? nb.getAsJsonObject("metadata") : null;
        if (meta == null) {
            return null;
        }
        if (meta.has("language_info") && meta.get("language_info").isJsonObject()
                && meta.getAsJsonObject("language_info").has("name")) {
            return meta.getAsJsonObject("language_info").get("name").getAsString();
        }
        if (meta.has("kernelspec") && meta.get("kernelspec").isJsonObject()
                && meta.getAsJsonObject("kernelspec").has("language")) {
            return meta.getAsJsonObject("kernelspec").get("language").getAsString();
        }
        return null;
    }
}
