package org.parisjava.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The Paris Java kernel: cells are Java (JShell syntax) run in this JVM; a cell's last expression
 * is rendered through the {@link Renderer}; lines starting with {@code %} are line magics
 * ({@code %classpath}, {@code %jars}, {@code %maven}, {@code %load}, {@code %time}), and a first
 * line starting with {@code %%} is a cell magic ({@code %%time}, {@code %%loadFromPOM}). Build one
 * with {@link #builder()}.
 */
public class ParisKernel extends BaseKernel {
    private static final int STARTUP_WAIT_SECONDS = 300;
    private static final Pattern MAGIC = Pattern.compile("^\\s*%(\\w+)\\s*(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%(\\w+)\\s*(.*)$");

    private final String classpath;
    private final LineMagics magics;
    private final MavenMagic maven;
    private final LoadMagic loader;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile JShellSession session;
    private volatile Thread startupThread;

    ParisKernel(ParisKernelBuilder b, JupyterIO io, Renderer renderer, StringStyler styler) {
        super(b.kernelName(), b.kernelVersion(),
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell",
                        "java", "java", null),
                List.of(), null, io, new CommManager(), renderer, null, null, b.extensions(), styler);
        this.classpath = b.classpath();
        this.magics = new LineMagics(this);
        this.maven = new MavenMagic(this, b.mavenSettings());
        this.loader = new LoadMagic(this);
    }

    /**
     * Creates the JShell session, then installs extensions (which may evaluate code). Requests that
     * arrive meanwhile wait for it: {@link ParisKernelMain} connects first and starts the session
     * afterwards, so Jupyter's {@code kernel_info} is answered at once instead of after JShell's warm-up.
     */
    @Override
    public void onStartup() {
        startupThread = Thread.currentThread();
        try {
            session = new JShellSession(classpath);
            super.onStartup();
        } finally {
            startupThread = null;
            started.countDown();
        }
    }

    public static ParisKernelBuilder builder() {
        return new ParisKernelBuilder();
    }

    /** Adds jars or class folders (path-separator separated) to the cells' classpath. */
    public void addToClasspath(String path) {
        session().addToClasspath(path);
    }

    JShellSession session() {
        if (Thread.currentThread() != startupThread) {
            try {
                if (!started.await(STARTUP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the kernel's JShell did not start within " + STARTUP_WAIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the kernel to start", e);
            }
        }
        JShellSession s = session;
        if (s == null) {
            throw new IllegalStateException("the kernel's JShell failed to start (see the kernel log)");
        }
        return s;
    }

    @Override
    public Object evalRaw(String code) {
        Object value = evalCell(code, 1);
        return value == JShellSession.NO_VALUE ? null : value;
    }

    /**
     * Runs {@code code} as a cell whose first line is cell line {@code firstLine} (magics included)
     * and returns its value or {@link JShellSession#NO_VALUE}. {@code %load} and {@code %time} run
     * code through here too.
     */
    Object evalCell(String code, int firstLine) {
        List<String> lines = code.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first < lines.size()) {
            Matcher cell = CELL_MAGIC.matcher(lines.get(first));
            if (cell.matches()) {
                String body = String.join("\n", lines.subList(first + 1, lines.size()));
                return cellMagic(cell.group(1), cell.group(2).strip(), body, firstLine + first);
            }
        }
        StringBuilder java = new StringBuilder();
        int javaStart = firstLine;
        Object value = JShellSession.NO_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            int line = firstLine + i;
            Matcher m = MAGIC.matcher(lines.get(i));
            if (lines.get(i).stripLeading().startsWith("%%")) {
                throw LineMagics.error(line, "a cell magic (" + lines.get(i).strip()
                        + ") must be on the cell's first line");
            } else if (m.matches()) {
                value = runJava(java, javaStart, value);
                java.setLength(0);
                if (m.group(1).equals("time") && m.group(2).isBlank()) {
                    // %time alone on a line times the rest of the cell, like %%time
                    String rest = String.join("\n", lines.subList(i + 1, lines.size()));
                    return CellTimer.time(() -> evalCell(rest, line + 1));
                }
                value = magics.run(m.group(1), m.group(2).strip(), line);
                javaStart = line + 1;
            } else {
                java.append(lines.get(i)).append('\n');
            }
        }
        return runJava(java, javaStart, value);
    }

    private Object cellMagic(String name, String args, String body, int line) {
        switch (name) {
            case "time" -> {
                return CellTimer.time(() -> evalCell(body, line + 1));
            }
            case "loadFromPOM" -> {
                maven.loadFromPom(body, line + 1);
                return JShellSession.NO_VALUE;
            }
            default -> throw LineMagics.error(line, "unknown cell magic %%" + name + " (known: " + LineMagics.KNOWN + ")");
        }
    }

    MavenMagic maven() {
        return maven;
    }

    LoadMagic loader() {
        return loader;
    }

    /** The classpath cells compile against (without what magics added). */
    String cellClasspath() {
        return classpath;
    }

    private Object runJava(StringBuilder java, int firstLine, Object previous) {
        if (java.toString().isBlank()) {
            return previous;
        }
        return session().eval(java.toString(), firstLine);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Tail tail = tailAt(code, at);
        if (tail == null) {
            return null;
        }
        List<SourceCodeAnalysis.Documentation> docs =
                session().analysis().documentation(tail.text(), tail.text().length(), extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append(d.javadoc()).append('\n');
            }
        }
        return new DisplayData(text.toString());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Tail tail = tailAt(code, at);
        if (tail == null) {
            return magicNames(code, at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                session().analysis().completionSuggestions(tail.text(), tail.text().length(), anchor);
        List<String> options = new ArrayList<>();
        boolean anyMatch = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            if ((!anyMatch || s.matchesType()) && !options.contains(s.continuation())) {
                options.add(s.continuation());
            }
        }
        return new ReplacementOptions(options, tail.offset() + anchor[0], at);
    }

    private static final List<String> LINE_MAGIC_NAMES = List.of("classpath", "jars", "load", "maven", "time");
    private static final List<String> CELL_MAGIC_NAMES = List.of("loadFromPOM", "time");

    /** On a magic's line: the magic names that start with what is typed after {@code %} or {@code %%}. */
    private static ReplacementOptions magicNames(String code, int at) {
        String typed = code.substring(0, Math.max(0, Math.min(at, code.length())));
        String cursorLine = typed.substring(typed.lastIndexOf('\n') + 1);
        Matcher m = Pattern.compile("^\\s*(%%?)(\\w*)$").matcher(cursorLine);
        List<String> options = new ArrayList<>();
        if (m.matches()) {
            List<String> names = m.group(1).equals("%%") ? CELL_MAGIC_NAMES : LINE_MAGIC_NAMES;
            names.stream().filter(n -> n.startsWith(m.group(2))).forEach(options::add);
        }
        return new ReplacementOptions(options, typed.length() - (m.matches() ? m.group(2).length() : 0), at);
    }

    /**
     * The snippet the cursor is in: the cell's text before {@code at} after its last complete snippet,
     * magic lines blanked; null when the cursor is on a magic's line.
     */
    private Tail tailAt(String code, int at) {
        String typed = code.substring(0, Math.max(0, Math.min(at, code.length())));
        String cursorLine = typed.substring(typed.lastIndexOf('\n') + 1);
        if (MAGIC.matcher(cursorLine).matches() || CELL_MAGIC.matcher(cursorLine).matches()
                || cursorLine.strip().matches("%%?")) {
            return null; // a magic's line is not Java
        }
        String before = blankMagicLines(typed);
        int offset = 0;
        String remaining = before;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = session().analysis().analyzeCompletion(remaining);
            if (!info.completeness().isComplete() || info.remaining().isEmpty()
                    || info.remaining().length() >= remaining.length()) {
                break;
            }
            offset += remaining.length() - info.remaining().length();
            remaining = info.remaining();
        }
        return new Tail(remaining, offset);
    }

    /** Magic lines become blanks of the same length, so that JShell sees only Java and offsets still hold. */
    private static String blankMagicLines(String code) {
        StringBuilder sb = new StringBuilder(code.length());
        int start = 0;
        while (start <= code.length()) {
            int end = code.indexOf('\n', start);
            String line = code.substring(start, end < 0 ? code.length() : end);
            boolean magic = MAGIC.matcher(line).matches() || CELL_MAGIC.matcher(line).matches();
            sb.append(magic ? " ".repeat(line.length()) : line);
            if (end < 0) {
                break;
            }
            sb.append('\n');
            start = end + 1;
        }
        return sb.toString();
    }

    private record Tail(String text, int offset) {
    }

    @Override
    public String isComplete(String code) {
        List<String> lines = code.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first < lines.size()) {
            Matcher cell = CELL_MAGIC.matcher(lines.get(first));
            if (cell.matches()) {
                if (!cell.group(1).equals("time")) {
                    return IS_COMPLETE_YES; // the body is not Java (a POM fragment)
                }
                lines = lines.subList(first + 1, lines.size());
            }
        }
        String java = lines.stream().filter(l -> !MAGIC.matcher(l).matches()).reduce("", (a, b) -> a + b + "\n");
        CellSplitter.Split split = session().splitter().split(java, 1);
        if (split.incompleteTail().isBlank()) {
            return IS_COMPLETE_YES;
        }
        Completeness c = split.tailCompleteness();
        return c == Completeness.DEFINITELY_INCOMPLETE ? "    " : IS_COMPLETE_BAD;
    }

    @Override
    public void interrupt() {
        JShellSession s = session;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellErrorException cell) {
            return cell.report();
        }
        return super.formatError(e);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        JShellSession s = session;
        if (s != null) {
            s.close();
        }
    }

    /** JShell's class loader for cell classes, found from a class a snippet defines. */
    ClassLoader cellClassLoader() {
        Object loader = session().eval("new Object(){}.getClass().getClassLoader()", 1);
        return loader instanceof ClassLoader cl ? cl : getClassLoader();
    }

    /** Installs the extensions (META-INF/services) that jars added by a magic bring. */
    void installExtensionsFromCells() {
        if (extensionsEnabled) {
            installExtensions(cellClassLoader());
        }
    }
}
