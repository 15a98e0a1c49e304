package org.parisjava.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes a child process (an expert trainer that {@link ExpertLauncher} started) stop when its
 * parent ends. The parent gives the child a pipe as standard input and never writes to it; when the
 * parent ends, however it ends ({@code kill -9} included), the system closes the pipe, the child's
 * read returns end-of-file, and the child stops: a child in its training loop is asked to stop as
 * SIGTERM asks ({@link org.parisjava.train.PreemptionSignal}: it checkpoints after the current step
 * and exits), and ends anyway after a grace period ({@link #GRACE_PROPERTY}, default two minutes);
 * any other exits at once. What it was writing is safe either way: checkpoints and files are written
 * atomically, and a rerun resumes from the newest checkpoint.
 */
final class ParentWatch {
    /** System property that turns the watch on; its value says what to watch ("stdin"). */
    static final String PROPERTY = "paris.exitWithParent";
    /** Seconds a training child gets to finish its step and checkpoint after its parent ended (property to change). */
    static final String GRACE_PROPERTY = "paris.parentGraceSeconds";
    static final long DEFAULT_GRACE_SECONDS = 120;
    /** The exit code of a child stopped because its parent ended (128 + SIGHUP, as a shell reports a hangup). */
    static final int EXIT_CODE = 129;

    private ParentWatch() {
    }

    /** Starts the watch if {@link #PROPERTY} asks for it; returns whether it did. */
    static boolean startIfAsked() {
        if (!"stdin".equals(System.getProperty(PROPERTY))) {
            return false;
        }
        watch(System.in);
        return true;
    }

    static Thread watch(InputStream parentPipe) {
        Thread t = new Thread(() -> {
            try {
                while (parentPipe.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException closed) {
                // a broken pipe is the same news
            }
            System.err.println("paris: the parent process ended; stopping this trainer (rerun the command to resume)");
            System.err.flush();
            if (org.parisjava.train.PreemptionSignal.listening()) {
                // a step in native code must not meet the JVM's exit: ask the loop to checkpoint and stop after this
                // step, as SIGTERM does, and end the process only if it has not ended itself within the grace
                org.parisjava.train.PreemptionSignal.request("the parent process ended");
                try {
                    Thread.sleep(Long.getLong(GRACE_PROPERTY, DEFAULT_GRACE_SECONDS) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            System.exit(EXIT_CODE);
        }, "paris-parent-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
