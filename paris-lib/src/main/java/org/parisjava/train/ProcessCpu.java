package org.parisjava.train;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU seconds this process has used so far, every thread included (the native threads of libtorch's
 * intra-op pool as well as the JVM's), as the operating system counts them. A training loop reads it
 * at its start and at each checkpoint: the difference is what the model cost, even when several
 * models of a run train side by side in separate processes.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** CPU seconds used by this process, or 0 if the JVM cannot tell. */
    static double seconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long nanos = sun.getProcessCpuTime();
            return nanos < 0 ? 0 : nanos / 1e9;
        }
        return 0;
    }
}
