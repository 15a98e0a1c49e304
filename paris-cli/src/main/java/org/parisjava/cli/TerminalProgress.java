package org.parisjava.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;

/**
 * Draws library progress as a bar on the terminal: redrawn in place on a console, one line every
 * few seconds when the output is a file or a pipe (CI logs stay readable).
 */
public final class TerminalProgress implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastDraw;
    private String lastTask = "";

    public TerminalProgress(PrintStream out) {
        this(out, System.console() != null && System.getenv("CI") == null);
    }

    public TerminalProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        long now = System.nanoTime();
        boolean newTask = !e.task().equals(lastTask);
        long minGap = interactive ? 100_000_000L : 5_000_000_000L;
        if (!newTask && !e.finished() && now - lastDraw < minGap) {
            return;
        }
        if (newTask && interactive && !lastTask.isEmpty()) {
            out.println();
        }
        lastTask = e.task();
        lastDraw = now;
        String line = render(e, (now - start) / 1e9);
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
            if (e.finished()) {
                out.println();
                lastTask = "";
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String render(ProgressEvent e, double elapsedSeconds) {
        StringBuilder sb = new StringBuilder(e.task()).append(' ');
        if (e.total() > 0) {
            double f = Math.min(1.0, (double) e.done() / e.total());
            int filled = (int) Math.round(f * WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%3.0f%% %d/%d", 100 * f, e.done(), e.total()));
        } else {
            sb.append(e.done());
        }
        for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s=%.4g", m.getKey(), m.getValue()));
        }
        sb.append(String.format(Locale.ROOT, " %.0fs", elapsedSeconds));
        return sb.toString();
    }
}
