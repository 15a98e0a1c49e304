package org.parisjava.run;

import java.util.Map;

/**
 * A step of a long task: {@code done} of {@code total} units (total 0 when unknown) and the latest
 * metrics (loss, images/s...). The library emits these; the CLI draws bars, notebooks draw widgets.
 */
public record ProgressEvent(String task, long done, long total, Map<String, Double> metrics) {
    public ProgressEvent {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static ProgressEvent of(String task, long done, long total) {
        return new ProgressEvent(task, done, total, Map.of());
    }

    public boolean finished() {
        return total > 0 && done >= total;
    }
}
