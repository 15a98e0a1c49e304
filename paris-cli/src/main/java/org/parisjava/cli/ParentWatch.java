package org.parisjava.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes a child process (an expert trainer that {@link ExpertLauncher} started) stop when its
 * parent ends. The parent gives the child a pipe as standard input and never writes to it; when the
 * parent ends, however it ends ({@code kill -9} included), the system closes the pipe, the child's
 * read returns end-of-file, and the child exits. What it was writing is safe: checkpoints and
 * files are written atomically, and a rerun resumes from the newest checkpoint.
 */
final class ParentWatch {
    /** System property that turns the watch on; its value says what to watch ("stdin"). */
    static final String PROPERTY = "paris.exitWithParent";
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
            System.exit(EXIT_CODE);
        }, "paris-parent-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
