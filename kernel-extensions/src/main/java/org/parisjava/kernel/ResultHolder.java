package org.parisjava.kernel;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands the value of a cell's last expression from JShell's snippet thread to the kernel.
 *
 * <p>JShell's execution control only returns values as strings. Because the engine runs in the
 * kernel's JVM and JShell's class loader delegates to the kernel's, a generated statement
 * {@code ResultHolder.hold($3);} passes the real object across. Public only for that statement.
 */
public final class ResultHolder {
    private static final AtomicReference<Object> VALUE = new AtomicReference<>();

    private ResultHolder() {
    }

    /** Called by the generated snippet; not for user code. */
    public static void hold(Object value) {
        VALUE.set(value);
    }

    static Object take() {
        return VALUE.getAndSet(null);
    }
}
