package org.parisjava.run;

import ai.djl.engine.Engine;

/**
 * The CPU threading a process computes with, recorded next to results because sums computed with
 * another number of threads are added in another order: the same seed gives other bits at another
 * thread count (see the README's "Same seed, different numbers").
 *
 * @param intraOp        PyTorch intra-op threads ({@code ai.djl.pytorch.num_threads}); 0 when the process that
 *                       recorded them did not start PyTorch ({@link #notStarted()}: {@code paris cluster} with
 *                       PCA features, {@code paris submit}), -1 under another engine
 * @param interOp        PyTorch inter-op threads ({@code ai.djl.pytorch.num_interop_threads}), the same
 * @param ompWaitPolicy  the process's {@code OMP_WAIT_POLICY} ("PASSIVE": idle OpenMP threads sleep
 *                       instead of spinning, which matters when other processes share the cores),
 *                       or "unset"
 * @param cores          processors the JVM sees
 */
public record ComputeThreads(int intraOp, int interOp, String ompWaitPolicy, int cores) {
    /** The settings of this process; starts the engine if it has not started (PyTorch reads them at start). */
    public static ComputeThreads current() {
        int intra = -1;
        int inter = -1;
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            intra = ai.djl.pytorch.jni.JniUtils.getNumThreads();
            inter = ai.djl.pytorch.jni.JniUtils.getNumInteropThreads();
        }
        ComputeThreads rest = notStarted();
        return new ComputeThreads(intra, inter, rest.ompWaitPolicy(), rest.cores());
    }

    /**
     * This process's settings without PyTorch's, for a process that never starts it: intra- and
     * inter-op threads 0, "unknown" ({@link #known()} false).
     */
    public static ComputeThreads notStarted() {
        String omp = System.getenv("OMP_WAIT_POLICY");
        return new ComputeThreads(0, 0, omp == null ? "unset" : omp, Runtime.getRuntime().availableProcessors());
    }

    /** Whether the PyTorch threads were read from a started engine (not {@link #notStarted()}). */
    public boolean known() {
        return intraOp != 0;
    }

    /**
     * Intra-op threads for each of {@code processes} processes sharing this machine: the cores
     * divided among them, at least one, so that P trainers never ask for more threads than cores.
     */
    public static int perProcess(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("Invalid number of processes: " + processes);
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / processes);
    }
}
