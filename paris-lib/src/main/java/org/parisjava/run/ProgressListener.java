package org.parisjava.run;

/** Receives progress of long tasks. Implementations must be cheap and must not throw. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = e -> {
    };

    void onProgress(ProgressEvent event);
}
