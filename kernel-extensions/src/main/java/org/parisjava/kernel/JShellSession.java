package org.parisjava.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * A JShell whose snippets run in this JVM.
 *
 * <p>Why JShell's own "local" engine, used as is: the engine's class loader delegates to the
 * system class loader, so paris-lib, XChart and the extension's renderers are the same classes in
 * user code and in the kernel. Subclassing {@code LocalExecutionControl} to capture values breaks on
 * JDK 21+ (it weaves stop checks into user bytecode that call a generated {@code REPL.$Cancel$}
 * class, which only its own {@code invoke} defines), so values travel through {@link ResultHolder}
 * instead, and interrupt is JShell's own {@code stop()}, which works on 17 (Thread.stop) and on 25
 * (the woven stop checks).
 */
final class JShellSession implements AutoCloseable {
    /** Marker: the cell has no value to show. */
    static final Object NO_VALUE = new Object();

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final CellSplitter splitter;
    private volatile boolean stopRequested;

    /** The imports the jshell tool starts with; the JShell API starts with none. */
    static final String JSHELL_DEFAULT_IMPORTS = String.join("\n",
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
            "import java.util.regex.*;", "import java.util.stream.*;");

    JShellSession(String classpath) {
        this.shell = JShell.builder()
                .executionEngine(new LocalExecutionControlProvider(), Map.of())
                .build();
        this.analysis = shell.sourceCodeAnalysis();
        this.splitter = new CellSplitter(analysis);
        if (classpath != null && !classpath.isBlank()) {
            shell.addToClasspath(classpath); // the compiler needs it; loading still goes to the parent first
        }
        eval(JSHELL_DEFAULT_IMPORTS, 1);
    }

    SourceCodeAnalysis analysis() {
        return analysis;
    }

    CellSplitter splitter() {
        return splitter;
    }

    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Stops the running cell (called from another thread). */
    void stop() {
        stopRequested = true;
        shell.stop();
    }

    /**
     * Evaluates a piece of a cell (Java source whose first line is cell line {@code firstLine}) and
     * returns the last expression's value, {@code null}, or {@link #NO_VALUE}.
     */
    Object eval(String code, int firstLine) {
        stopRequested = false;
        CellSplitter.Split split = splitter.split(code, firstLine);
        Map<String, Integer> snippetLines = new HashMap<>();
        Object value = NO_VALUE;
        for (int i = 0; i < split.pieces().size(); i++) {
            CellPiece piece = split.pieces().get(i);
            Snippet main = evalPiece(piece, code, firstLine, snippetLines);
            boolean last = i == split.pieces().size() - 1 && split.incompleteTail().isBlank();
            value = last ? valueOf(main) : NO_VALUE;
        }
        if (!split.incompleteTail().isBlank()) {
            int line = firstLine + CellSplitter.countNewlines(code, 0, split.tailOffset());
            String first = split.incompleteTail().strip().lines().findFirst().orElse("");
            throw new CellErrorException(CellErrorException.Kind.COMPILE_ERROR, "CompilationError",
                    "incomplete code at cell line " + line,
                    List.of("Compilation error at cell line " + line + ": the code is incomplete "
                            + "(a missing ';', '}' or ')'?)", "    " + first));
        }
        return value;
    }

    private Snippet evalPiece(CellPiece piece, String code, int firstLine, Map<String, Integer> snippetLines) {
        List<SnippetEvent> events = shell.eval(piece.source());
        Snippet main = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an update of an earlier snippet, not this one
            }
            main = event.snippet();
            snippetLines.put(main.id(), piece.codeLine());
            if (event.status() == Snippet.Status.REJECTED) {
                throw compileError(piece, code, firstLine, main);
            }
            if (stopRequested) {
                throw new CellErrorException(CellErrorException.Kind.INTERRUPTED, "Interrupted",
                        "execution interrupted", List.of("Execution interrupted at cell line " + piece.codeLine()));
            }
            if (event.exception() != null) {
                throw new CellErrorException(CellErrorException.Kind.RUNTIME_ERROR,
                        exceptionName(event.exception()),
                        exceptionName(event.exception()) + ": " + event.exception().getMessage(),
                        StackTraceReport.lines(event.exception(), snippetLines));
            }
        }
        return main;
    }

    private Object valueOf(Snippet snippet) {
        Optional<String> name = Optional.empty();
        if (snippet instanceof VarSnippet var
                && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            name = Optional.of(var.name());
        } else if (snippet instanceof ExpressionSnippet expr) {
            name = Optional.of(expr.name());
        }
        if (name.isEmpty()) {
            return NO_VALUE;
        }
        ResultHolder.take();
        List<SnippetEvent> events = shell.eval(ResultHolder.class.getName() + ".hold(" + name.get() + ");");
        for (SnippetEvent e : events) {
            if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
                return NO_VALUE; // the value cannot be fetched (e.g. an inaccessible type): show nothing
            }
        }
        return ResultHolder.take();
    }

    private CellErrorException compileError(CellPiece piece, String code, int firstLine, Snippet snippet) {
        List<String> lines = new ArrayList<>();
        String source = piece.source();
        String firstMessage = "compilation failed";
        List<Diag> diags = shell.diagnostics(snippet).filter(Diag::isError).toList();
        for (Diag d : diags) {
            int pos = (int) Math.max(0, Math.min(d.getStartPosition(), source.length()));
            int end = (int) Math.max(pos, Math.min(d.getEndPosition(), source.length()));
            // Several snippets can share a line ("int a = 1; int b = ...;"): place the diagnostic in
            // the code as typed. JShell's source is the typed text (it may append a ';'); if it is
            // not, count within the snippet.
            boolean typed = code.regionMatches(piece.offset(), source, 0, Math.min(end, code.length() - piece.offset()));
            String text = typed ? code : source;
            int shift = typed ? piece.offset() : 0;
            int at = Math.min(pos + shift, text.length());
            int until = Math.min(end + shift, text.length());
            int lineStart = text.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = text.indexOf('\n', at);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd;
            int cellLine = typed
                    ? firstLine + CellSplitter.countNewlines(code, 0, at)
                    : piece.sourceLine() + CellSplitter.countNewlines(source, 0, pos);
            int column = at - lineStart + 1;
            String message = d.getMessage(null);
            if (lines.isEmpty()) {
                firstMessage = "cell line " + cellLine + ": " + message.lines().findFirst().orElse(message);
            }
            lines.add("Compilation error at cell line " + cellLine + ", column " + column + ":");
            message.lines().forEach(m -> lines.add("    " + m));
            lines.add("    " + text.substring(lineStart, lineEnd));
            int caretEnd = Math.max(at + 1, Math.min(until, lineEnd));
            lines.add("    " + " ".repeat(at - lineStart) + "^".repeat(caretEnd - at));
        }
        if (diags.isEmpty()) {
            lines.add("Compilation error at cell line " + piece.codeLine() + ": the snippet was rejected");
            lines.add("    " + source.strip().lines().findFirst().orElse(""));
        }
        return new CellErrorException(CellErrorException.Kind.COMPILE_ERROR, "CompilationError", firstMessage, lines);
    }

    private static String exceptionName(JShellException e) {
        if (e instanceof EvalException eval) {
            return eval.getExceptionClassName();
        }
        if (e instanceof UnresolvedReferenceException) {
            return "UnresolvedReferenceException";
        }
        return e.getClass().getName();
    }

    @Override
    public void close() {
        shell.close();
    }
}
