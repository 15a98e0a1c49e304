package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The kernel's evaluation, errors, completion and interrupt, in process (no Jupyter). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParisKernelTest {
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

    @Test
    void lastExpressionIsTheValue() {
        assertEquals(2, kernel.evalRaw("1 + 1"));
        assertEquals(6, kernel.evalRaw("int x = 3;\n// a comment\nx * 2"));
        assertNull(kernel.evalRaw("int y = 4;"), "a declaration shows nothing");
        assertNull(kernel.evalRaw("System.out.print(\"\");"), "a void call shows nothing");
    }

    @Test
    void valuesKeepTheirIdentityAcrossTheKernel() {
        // the cell's object is the kernel's class, not a copy from another loader
        Object v = kernel.evalRaw("new org.parisjava.run.ProgressEvent(\"t\", 1, 2, null)");
        assertEquals(org.parisjava.run.ProgressEvent.class, v.getClass());
    }

    @Test
    void defaultImportsAndChartRendering() {
        DisplayData d = kernel.eval("XYChart c = new XYChartBuilder().width(200).height(150).title(\"t\").build();\n"
                + "c.addSeries(\"s\", new double[] {1, 2, 3}, new double[] {1, 4, 9});\nc");
        assertTrue(d.hasDataForType(MIMEType.IMAGE_PNG), "a chart renders as PNG");
        DisplayData t = kernel.eval("Table.create(\"tiny\", IntColumn.create(\"a\", 1, 2))");
        assertTrue(String.valueOf(t.getData(MIMEType.TEXT_HTML)).contains("<table"), "a table renders as HTML");
        DisplayData g = kernel.eval("ImageGrid.of(List.of(new ImageU8(1, 4, 4, new byte[16]), new ImageU8(1, 4, 4, new byte[16])))");
        assertTrue(g.hasDataForType(MIMEType.IMAGE_PNG), "an image grid renders as PNG");
        assertEquals("ImageGrid 1x2", g.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void compileErrorNamesTheCellLineAndColumn() {
        CellErrorException e = assertThrows(CellErrorException.class,
                () -> kernel.evalRaw("int a = 1;\nString s = 42;"));
        assertEquals(CellErrorException.Kind.COMPILE_ERROR, e.kind());
        String report = String.join("\n", e.report());
        assertTrue(report.contains("cell line 2, column 12"), report);
        assertTrue(report.contains("incompatible types"), report);
        assertTrue(report.contains("String s = 42;"), report);
    }

    @Test
    void severalStatementsOnOneLineReportTheColumnAsTyped() {
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw("int a = 1; int b = \"x\";"));
        String report = String.join("\n", e.report());
        assertTrue(report.contains("cell line 1, column 20:"), report);
        assertTrue(report.contains("\n    int a = 1; int b = \"x\";\n    " + " ".repeat(19) + "^^^"), "the line as typed, caret under \"x\": " + report);
        CellErrorException second = assertThrows(CellErrorException.class,
                () -> kernel.evalRaw("int c = 1;\n  int d = 2;   String t = 3;  int f = 4;"));
        assertTrue(String.join("\n", second.report()).contains("cell line 2, column 27:"), String.join("\n", second.report()));
    }

    @Test
    void runtimeErrorShowsUserFramesOnly() {
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw(
                "void boom() {\n  throw new IllegalStateException(\"boom\");\n}\nint k = 1;\nboom();"));
        assertEquals(CellErrorException.Kind.RUNTIME_ERROR, e.kind());
        assertEquals("java.lang.IllegalStateException", e.errorName());
        String report = String.join("\n", e.report());
        assertTrue(report.startsWith("java.lang.IllegalStateException: boom"), report);
        assertTrue(report.contains("boom (cell line 2)"), report);
        assertTrue(report.contains("<cell> (cell line 5)"), report);
        assertFalse(report.contains("jdk.jshell") || report.contains("jdk.internal"), report);
    }

    @Test
    void incompleteCodeIsAnError() {
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw("int z = (1 + 2"));
        assertEquals(CellErrorException.Kind.COMPILE_ERROR, e.kind());
    }

    @Test
    void completionAndIsComplete() {
        kernel.evalRaw("String greeting = \"x\";");
        String code = "int n = 1;\ngreeting.toUpp";
        ReplacementOptions r = kernel.complete(code, code.length());
        assertTrue(r.getReplacements().stream().anyMatch(o -> o.startsWith("toUpperCase")), r.getReplacements().toString());
        assertEquals(code.length() - "toUpp".length(), r.getSourceStart());
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("1 + 1"));
        assertNotEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("%classpath x.jar\n1 + 1"));
        DisplayData doc = kernel.inspect("Math.max(", 9, false);
        assertTrue(doc != null && String.valueOf(doc.getData(MIMEType.TEXT_PLAIN)).contains("max("), String.valueOf(doc));
    }

    @Test
    void interruptStopsABusyLoop() throws Exception {
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                kernel.evalRaw("long spins = 0;\nwhile (true) { spins++; }");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(1500);
        kernel.interrupt();
        Throwable t = run.get(20, TimeUnit.SECONDS);
        assertTrue(t instanceof CellErrorException c && c.kind() == CellErrorException.Kind.INTERRUPTED, String.valueOf(t));
        assertEquals(3, kernel.evalRaw("1 + 2"), "the kernel works after an interrupt");
    }

    @Test
    void unknownMagicAndMissingJarAreClearErrors() {
        CellErrorException e = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%nosuch x"));
        assertTrue(e.getMessage().contains("%nosuch"), e.getMessage());
        CellErrorException m = assertThrows(CellErrorException.class, () -> kernel.evalRaw("%classpath no/such.jar"));
        assertTrue(m.getMessage().contains("no/such.jar"), m.getMessage());
    }
}
