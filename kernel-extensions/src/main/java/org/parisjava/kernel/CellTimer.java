package org.parisjava.kernel;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code %time} and {@code %%time}, as in IPython: runs code, then prints its CPU and wall time
 * below the code's own output. CPU time is the kernel process's (all its threads, native compute
 * threads included, as the operating system counts it), so a cell that keeps two cores busy for one
 * second shows about two seconds of CPU time. The times are printed even when the code fails, before
 * the error is reported.
 */
final class CellTimer {
    private CellTimer() {
    }

    static Object time(Supplier<Object> code) {
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        try {
            return code.get();
        } finally {
            long wall = System.nanoTime() - wall0;
            long cpu1 = processCpuNanos();
            PrintStream out = System.out; // the cell's stdout while a cell runs
            out.println(report(cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, wall));
            out.flush();
        }
    }

    /** {@code "CPU time: 1.23 s\nWall time: 950 ms"}; a negative CPU time means the JVM cannot measure it. */
    static String report(long cpuNanos, long wallNanos) {
        String cpu = cpuNanos < 0 ? "not available on this JVM" : duration(cpuNanos);
        return "CPU time: " + cpu + "\nWall time: " + duration(wallNanos);
    }

    /** Three significant digits in the largest unit below the value: 812 µs, 12.3 ms, 4.56 s; minutes past 100 s. */
    static String duration(long nanos) {
        double s = nanos / 1e9;
        if (s >= 100) {
            long total = Math.round(s);
            return String.format(Locale.ROOT, "%d min %d s", total / 60, total % 60);
        }
        if (s >= 1) {
            return sig3(s) + " s";
        }
        if (s >= 1e-3) {
            return sig3(s * 1e3) + " ms";
        }
        return sig3(s * 1e6) + " µs";
    }

    private static String sig3(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
