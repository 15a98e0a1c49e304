package org.parisjava.kernel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;

/**
 * A {@link ProgressListener} that draws one progress bar per task in the notebook: the first event
 * of a task publishes a display with a {@code display_id}, later events update that display in
 * place ({@code update_display_data}), at most every {@code minInterval} except the last, which is
 * always shown. In a cell: {@code trainer.train(..., NotebookProgress.create())}.
 */
public final class NotebookProgress implements ProgressListener {
    private static final int BAR_WIDTH = 30;

    private final BaseKernel kernel;
    private final long minIntervalNanos;
    private final Map<String, Bar> bars = new ConcurrentHashMap<>();

    private static final class Bar {
        final String displayId = "paris-progress-" + UUID.randomUUID();
        long lastShownNanos;
        boolean shown;
    }

    public NotebookProgress(BaseKernel kernel, Duration minInterval) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** A listener for the running notebook kernel, updating at most five times a second. */
    public static NotebookProgress create() {
        return new NotebookProgress(BaseKernel.notebookKernel(), Duration.ofMillis(200));
    }

    @Override
    public void onProgress(ProgressEvent event) {
        try {
            Bar bar = bars.computeIfAbsent(event.task(), t -> new Bar());
            synchronized (bar) {
                long now = System.nanoTime();
                DisplayData data = render(event);
                if (!bar.shown) {
                    data.setDisplayId(bar.displayId);
                    kernel.getIO().display.display(data);
                    bar.shown = true;
                    bar.lastShownNanos = now;
                } else if (event.finished() || now - bar.lastShownNanos >= minIntervalNanos) {
                    kernel.getIO().display.updateDisplay(bar.displayId, data);
                    bar.lastShownNanos = now;
                }
            }
        } catch (RuntimeException e) {
            // A listener must never break the training it watches.
        }
    }

    /** The display of one event: a text bar and an HTML {@code <progress>} element. */
    public static DisplayData render(ProgressEvent e) {
        String counts = e.total() > 0 ? e.done() + "/" + e.total() : String.valueOf(e.done());
        StringBuilder metrics = new StringBuilder();
        e.metrics().forEach((k, v) -> metrics.append("  ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4g", v)));
        String text;
        String html;
        if (e.total() > 0) {
            double f = Math.min(1.0, (double) e.done() / e.total());
            int filled = (int) Math.round(f * BAR_WIDTH);
            text = String.format(Locale.ROOT, "%s [%s%s] %s (%3.0f%%)%s", e.task(), "#".repeat(filled),
                    "-".repeat(BAR_WIDTH - filled), counts, f * 100, metrics);
            html = String.format(Locale.ROOT, "<div><code>%s</code> <progress value=\"%d\" max=\"%d\"></progress>"
                    + " %s (%.0f%%)<code>%s</code></div>", escape(e.task()), e.done(), e.total(), counts, f * 100,
                    escape(metrics.toString()));
        } else {
            text = e.task() + " " + counts + metrics;
            html = "<div><code>" + escape(e.task()) + "</code> " + counts + "<code>" + escape(metrics.toString())
                    + "</code></div>";
        }
        DisplayData data = new DisplayData(text);
        data.putHTML(html);
        return data;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
