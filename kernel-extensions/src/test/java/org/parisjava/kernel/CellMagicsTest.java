package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code %time}, {@code %%time} and {@code %load} in process, with the cell's stdout captured. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CellMagicsTest {
    private static final Pattern TIME = Pattern.compile("CPU time: ([0-9.]+) (µs|ms|s)\\nWall time: ([0-9.]+) (µs|ms|s)");
    private ParisKernel kernel;

    @BeforeAll
    void start() {
        kernel = ParisKernel.builder().build();
        kernel.onStartup();
    }

    @AfterAll
    void stop() {
        kernel.onShutdown(false);
    }

    /** What the cell printed (as a kernel's cell stdout) and its value. */
    record Run(String out, Object value) {
    }

    static Run capture(Supplier<Object> cell) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Object v = cell.get();
            return new Run(bytes.toString(StandardCharsets.UTF_8), v);
        } finally {
            System.setOut(saved);
        }
    }

    private static double seconds(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "s" -> v;
            case "ms" -> v / 1e3;
            default -> v / 1e6;
        };
    }

    @Test
    void cellTimePrintsCpuAndWallAfterTheOutput() {
        Run r = capture(() -> kernel.evalRaw("%%time\nSystem.out.println(\"hello\");\nThread.sleep(300);\n6 * 7"));
        assertEquals(42, r.value(), "the cell's value is kept");
        Matcher m = TIME.matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(r.out().indexOf("hello") < m.start(), "times come after the cell's output: " + r.out());
        assertTrue(seconds(m.group(3), m.group(4)) >= 0.3, "slept 300 ms: " + r.out());

        // CPU time: spin until this thread alone has used 300 ms of CPU, however busy the machine is
        Run busy = capture(() -> kernel.evalRaw("%%time\nvar mx = java.lang.management.ManagementFactory.getThreadMXBean();\n"
                + "long c0 = mx.getCurrentThreadCpuTime();\nwhile (mx.getCurrentThreadCpuTime() - c0 < 300_000_000L) { }"));
        Matcher b = TIME.matcher(busy.out());
        assertTrue(b.find(), busy.out());
        double cpu = seconds(b.group(1), b.group(2));
        assertTrue(cpu >= 0.3, "at least the spinning thread's 300 ms of CPU: " + busy.out());
        assertTrue(seconds(b.group(3), b.group(4)) >= 0.3 * 0.99, busy.out());
    }

    @Test
    void lineTimeReturnsTheValueAndTimesOnlyThatLine() {
        Run r = capture(() -> kernel.evalRaw("int base = 40;\n%time base + 2"));
        assertEquals(42, r.value());
        assertTrue(TIME.matcher(r.out()).find(), r.out());
        Run rest = capture(() -> kernel.evalRaw("%time\nString s = \"timed\";\ns.length()"));
        assertEquals(5, rest.value(), "%time alone times the rest of the cell");
        assertTrue(TIME.matcher(rest.out()).find(), rest.out());
    }

    @Test
    void timeStillReportsWhenTheCellFails() {
        CellErrorException[] thrown = new CellErrorException[1];
        Run r = capture(() -> {
            thrown[0] = assertThrows(CellErrorException.class,
                    () -> kernel.evalRaw("%%time\nint q = 1;\nthrow new IllegalStateException(\"late\");"));
            return null;
        });
        assertTrue(TIME.matcher(r.out()).find(), "the times of a failed cell: " + r.out());
        assertEquals(CellErrorException.Kind.RUNTIME_ERROR, thrown[0].kind());
        assertTrue(String.join("\n", thrown[0].report()).contains("cell line 3"),
                "lines count from the cell, magic line included: " + thrown[0].report());
    }

    @Test
    void durationsReadLikeIPython() {
        assertEquals("812 µs", CellTimer.duration(812_000));
        assertEquals("12.3 ms", CellTimer.duration(12_340_000));
        assertEquals("4.56 s", CellTimer.duration(4_560_000_000L));
        assertEquals("2 min 5 s", CellTimer.duration(125_000_000_000L));
    }

    @Test
    void unknownCellMagicAndMagicNotOnTheFirstLine() {
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%%nosuch\n1"));
        assertTrue(e.getMessage().contains("%%nosuch") && e.getMessage().contains("%%time"), e.getMessage());
        CellErrorException late = assertThrows(CellErrorException.class, () -> kernel.evalRaw("int w = 1;\n%%time\n2"));
        assertTrue(late.getMessage().contains("cell line 2") && late.getMessage().contains("first line"), late.getMessage());
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("%%time\n1 + 1"));
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("%%loadFromPOM\n<dependency>"));
        assertFalse(BaseKernel.IS_COMPLETE_YES.equals(kernel.isComplete("%%time\nfor (int i = 0; i < 2; i++) {")));
    }

    @Test
    void completionSeesPastMagicLines() {
        kernel.evalRaw("String word = \"x\";");
        for (String code : new String[] {"%%time\nint n = 1;\nword.toUpp", "%maven a:b:1\nword.toUpp"}) {
            ReplacementOptions r = kernel.complete(code, code.length());
            assertTrue(r.getReplacements().stream().anyMatch(o -> o.startsWith("toUpperCase")), code + " -> " + r.getReplacements());
            assertEquals(code.length() - "toUpp".length(), r.getSourceStart(), code);
        }
        assertTrue(kernel.complete("%time 1", 7).getReplacements().isEmpty(), "a magic's line is not Java");
        assertEquals(java.util.List.of("maven"), kernel.complete("int z = 0;\n%mav", 15).getReplacements());
        assertEquals(12, kernel.complete("int z = 0;\n%mav", 15).getSourceStart());
        assertEquals(java.util.List.of("loadFromPOM"), kernel.complete("%%lo", 4).getReplacements());
    }

    @Test
    void loadRunsAJavaFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("Hello.java");
        Files.writeString(file, "package demo.hello;\n\nimport java.util.Locale;\n\n"
                + "public class Hello {\n    public static String hi(String who) { return (\"hi \" + who).toUpperCase(Locale.ROOT); }\n}\n"
                + "int loadedBase = 40;\nloadedBase + 2\n");
        assertEquals(42, kernel.evalRaw("%load " + file));
        assertEquals("HI PARIS", kernel.evalRaw("Hello.hi(\"paris\")"), "the file's class is defined in the session");

        Path broken = tmp.resolve("Broken.java");
        Files.writeString(broken, "int fine = 1;\nint bad = \"text\";\n");
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%load '" + broken + "'"));
        String report = String.join("\n", e.report());
        assertTrue(report.startsWith("In " + broken.toAbsolutePath()), report);
        assertTrue(report.contains("cell line 2, column 11"), "the file's line and column: " + report);

        CellErrorException missing = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%load " + tmp.resolve("nope.java")));
        assertTrue(missing.getMessage().contains("file not found") && missing.getMessage().contains("nope.java"), missing.getMessage());
    }

    @Test
    void loadRunsANotebooksCodeCells(@TempDir Path tmp) throws Exception {
        Path nb = tmp.resolve("other.ipynb");
        Files.writeString(nb, """
                {"cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# Not code\\n", "int never = 1;"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": ["int fromNotebook = 20;\\n", "String label = \\"nb\\";"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": "%time int twice = fromNotebook * 2;\\ntwice + label.length()"}
                ],
                 "metadata": {"kernelspec": {"name": "paris-java", "language": "java", "display_name": "Paris (Java)"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
        Run r = capture(() -> kernel.evalRaw("%load " + nb));
        assertEquals(42, r.value(), "the last code cell's value");
        assertTrue(TIME.matcher(r.out()).find(), "magics in the loaded cells run: " + r.out());
        CellErrorException never = assertThrows(CellErrorException.class, () -> kernel.evalRaw("never"));
        assertEquals(CellErrorException.Kind.COMPILE_ERROR, never.kind(), "markdown cells are not run");

        Path python = tmp.resolve("py.ipynb");
        Files.writeString(python, "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"print(1)\", \"metadata\": {}, \"outputs\": []}],"
                + " \"metadata\": {\"language_info\": {\"name\": \"python\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        CellErrorException py = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%load " + python));
        assertTrue(py.getMessage().contains("python notebook"), py.getMessage());

        Path failing = tmp.resolve("failing.ipynb");
        Files.writeString(failing, "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"int ok = 1;\", \"metadata\": {}, \"outputs\": []},"
                + " {\"cell_type\": \"code\", \"source\": \"\\nthrow new RuntimeException(\\\"in nb\\\");\", \"metadata\": {}, \"outputs\": []}],"
                + " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        CellErrorException f = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%load " + failing));
        String report = String.join("\n", f.report());
        assertTrue(report.startsWith("In " + failing.toAbsolutePath() + " (code cell 2):"), report);
        assertTrue(report.contains("java.lang.RuntimeException: in nb") && report.contains("cell line 2"), report);

        Path self = tmp.resolve("self.ipynb");
        Files.writeString(self, "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"%load " + self.toString().replace("\\", "\\\\")
                + "\", \"metadata\": {}, \"outputs\": []}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        CellErrorException cycle = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%load " + self));
        assertTrue(cycle.getMessage().contains("loads itself"), cycle.getMessage());
    }
}
