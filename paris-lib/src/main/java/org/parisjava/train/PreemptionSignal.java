package org.parisjava.train;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A request to stop training early, raised by a signal: {@code SIGUSR1} (what a batch scheduler
 * sends before a time limit or a preemption; Slurm's {@code --signal=B:USR1@90}, passed on to the
 * trainer by the job script) or {@code SIGTERM} ({@code scancel}, a shutdown).
 *
 * <p>While at least one trainer holds it open, the first such signal only sets a flag. The
 * training loop asks {@link #requested()} after every step, writes a checkpoint at once and throws
 * {@link TrainingStoppedException}; running the same command again resumes bit-exactly. A second
 * {@code SIGTERM}, more than two seconds after the first, goes to the handler that was there before
 * (the JVM's: exit), so a step that never ends cannot make the process unkillable. Closing the last holder restores the previous
 * handlers; outside training the JVM's usual behaviour applies.
 *
 * <p>Signals are process-wide, so the flag is too: every trainer running in this JVM stops.
 * Where {@code sun.misc.Signal} is unavailable the flag can still be raised with
 * {@link #request(String)}.
 */
public final class PreemptionSignal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreemptionSignal.class);
    /** The signals that ask for a checkpoint and a clean stop. */
    static final String[] SIGNALS = {"USR1", "TERM"};

    private static final Object LOCK = new Object();
    private static final Map<String, SignalHandler> PREVIOUS = new HashMap<>();
    private static int holders;
    private static volatile String received;
    private static volatile long firstNanos;
    private static final long REPEAT_NANOS = 2_000_000_000L;

    private boolean closed;

    private PreemptionSignal() {
    }

    /** Starts listening (the first holder installs the handlers and clears any earlier request). */
    public static PreemptionSignal install() {
        synchronized (LOCK) {
            if (holders++ == 0) {
                received = null;
                for (String name : SIGNALS) {
                    try {
                        PREVIOUS.put(name, Signal.handle(new Signal(name), PreemptionSignal::onSignal));
                    } catch (IllegalArgumentException | UnsupportedOperationException e) {
                        LOG.debug("cannot handle SIG{} here: {}", name, e.getMessage());
                    }
                }
            }
            return new PreemptionSignal();
        }
    }

    private static void onSignal(Signal s) {
        String name = s.getName();
        if (received == null) {
            received = "SIG" + name;
            firstNanos = System.nanoTime();
            LOG.info("SIG{} received: training checkpoints after this step and stops", name);
            return;
        }
        // a second TERM: the previous handler decides (the JVM's exits). One sent to the whole process
        // group a moment after the first (a job script passing it on) is the same request.
        if ("TERM".equals(name) && System.nanoTime() - firstNanos > REPEAT_NANOS) {
            SignalHandler previous;
            synchronized (LOCK) {
                previous = PREVIOUS.get(name);
            }
            if (previous == null || previous == SignalHandler.SIG_DFL) {
                Runtime.getRuntime().halt(128 + 15);
            } else if (previous != SignalHandler.SIG_IGN) {
                previous.handle(s);
            }
        }
    }

    /** Whether a stop was asked for since the first holder opened. */
    public boolean requested() {
        return received != null;
    }

    /** The signal that asked for the stop ({@code SIGUSR1}, {@code SIGTERM}, or a caller's reason), or null. */
    public String reason() {
        return received;
    }

    /** Whether a training loop in this JVM is listening now (one holder or more), so that a request reaches it. */
    public static boolean listening() {
        synchronized (LOCK) {
            return holders > 0;
        }
    }

    /** Raises the flag without a signal (a notebook's stop button, a test). */
    public static void request(String reason) {
        firstNanos = System.nanoTime();
        received = reason;
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            if (--holders == 0) {
                for (Map.Entry<String, SignalHandler> e : PREVIOUS.entrySet()) {
                    if (e.getValue() != null) {
                        Signal.handle(new Signal(e.getKey()), e.getValue());
                    }
                }
                PREVIOUS.clear();
            }
        }
    }
}
