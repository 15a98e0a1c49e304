package org.parisjava.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Executes a notebook headlessly with Debian's nbconvert on the paris-java kernel and checks the
 * result: no error output in any cell, and an {@code image/png} output in every cell tagged
 * {@code figure}. A kernel that never answered is reported as a start failure, not as a cell error.
 */
final class NotebookExecution {
    static final int STARTUP_TIMEOUT_S = 60;
    static final int CELL_TIMEOUT_S = 600;

    record Report(Path notebook, Path executed, boolean startFailure, List<String> errors,
                  List<String> missingFigures, int codeCells, double seconds, String log) {
        boolean ok() {
            return !startFailure && errors.isEmpty() && missingFigures.isEmpty();
        }

        String summary() {
            StringBuilder sb = new StringBuilder(notebook.getFileName().toString());
            if (startFailure) {
                sb.append(": kernel start failure\n").append(tail(log));
            }
            errors.forEach(e -> sb.append("\n  error: ").append(e));
            missingFigures.forEach(m -> sb.append("\n  missing figure: ").append(m));
            return sb.toString();
        }
    }

    private NotebookExecution() {
    }

    /** Runs {@code notebook}, writing the executed copy into {@code outDir}. */
    static Report execute(JupyterFixture jupyter, Path notebook, Path outDir, int timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        String name = notebook.getFileName().toString().replace(".ipynb", "") + ".executed";
        Path executed = outDir.resolve(name + ".ipynb");
        long t0 = System.nanoTime();
        JupyterFixture.Result r = jupyter.run(List.of(JupyterFixture.JUPYTER.toString(), "nbconvert",
                "--to", "notebook", "--execute", "--allow-errors",
                "--ExecutePreprocessor.startup_timeout=" + STARTUP_TIMEOUT_S,
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_S,
                "--ExecutePreprocessor.kernel_name=" + KernelInstaller.KERNEL_NAME,
                "--output-dir", outDir.toString(), "--output", name, notebook.toString()), timeoutSeconds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String log = r.out() + r.err();
        if (r.exit() != 0 || !Files.isRegularFile(executed)) {
            boolean start = isStartFailure(log) || r.timedOut();
            List<String> errors = start ? List.of() : List.of("nbconvert failed (exit " + r.exit() + "):\n" + tail(log));
            return new Report(notebook, executed, start, errors, List.of(), 0, seconds, log);
        }
        return check(notebook, executed, seconds, log);
    }

    static boolean isStartFailure(String log) {
        return log.contains("Kernel didn't respond") || log.contains("Kernel died before replying")
                || log.contains("DeadKernelError") || log.contains("kernel_info") || log.contains("No such kernel");
    }

    /** Reads an executed notebook and lists its error outputs and missing figures. */
    static Report check(Path notebook, Path executed, double seconds, String log) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(executed)).getAsJsonObject();
        List<String> errors = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int codeCells = 0;
        JsonArray cells = nb.getAsJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            codeCells++;
            String where = "cell " + (i + 1) + " (" + firstLine(cell) + ")";
            boolean png = false;
            for (JsonElement e : cell.getAsJsonArray("outputs")) {
                JsonObject o = e.getAsJsonObject();
                String type = o.get("output_type").getAsString();
                if (type.equals("error")) {
                    StringBuilder tb = new StringBuilder();
                    o.getAsJsonArray("traceback").forEach(l -> tb.append("\n      ").append(l.getAsString()));
                    errors.add(where + ": " + o.get("ename").getAsString() + ": " + o.get("evalue").getAsString() + tb);
                }
                if (o.has("data") && o.getAsJsonObject("data").has("image/png")) {
                    png = true;
                }
            }
            if (tags(cell).contains("figure") && !png) {
                missing.add(where + " is tagged 'figure' but has no image/png output");
            }
        }
        return new Report(notebook, executed, false, errors, missing, codeCells, seconds, log);
    }

    private static List<String> tags(JsonObject cell) {
        List<String> tags = new ArrayList<>();
        JsonObject meta = cell.getAsJsonObject("metadata");
        if (meta != null && meta.has("tags")) {
            meta.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        }
        return tags;
    }

    private static String firstLine(JsonObject cell) {
        JsonElement src = cell.get("source");
        String text = src.isJsonArray() ? (src.getAsJsonArray().isEmpty() ? "" : src.getAsJsonArray().get(0).getAsString())
                : src.getAsString();
        String line = text.lines().findFirst().orElse("").strip();
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    private static String tail(String log) {
        return log.length() > 4000 ? "..." + log.substring(log.length() - 4000) : log;
    }
}
