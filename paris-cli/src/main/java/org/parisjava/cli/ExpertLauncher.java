package org.parisjava.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.parisjava.data.Shard;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.RunLayout;

/**
 * Runs experts as separate OS processes: the same java, the same classpath, {@code ParisCli
 * train-expert --run R --cluster k}. Each child gets max(1, cores / parallel) PyTorch threads so P
 * children do not oversubscribe the machine, and OMP_WAIT_POLICY=PASSIVE (unless the environment
 * sets it) so that idle OpenMP threads sleep instead of spinning against the other children; its
 * output is appended to experts/cluster-XX/train.log.
 *
 * <p>Children die with this process: each watches its standard input, a pipe from here, and stops
 * when it closes, which the system does when this process ends in any way, {@code kill -9}
 * included ({@link ParentWatch}); a normal exit or SIGTERM here also destroys them. An expert whose
 * folder another live process on this host is still writing (an orphan of an earlier run, or a
 * {@code paris train-expert} started by hand) is waited for, then resumed or found finished.
 */
final class ExpertLauncher {
    /** How one expert's process ended. */
    record Outcome(int cluster, int exitCode, Path log, double seconds) {
    }

    private ExpertLauncher() {
    }

    /** The clusters with a finished shard in the run, in order. */
    static List<Integer> clusters(RunLayout layout) {
        if (!Files.isDirectory(layout.shardsDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.shardsDir())) {
            return s.filter(Shard::exists)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("cluster-\\d+"))
                    .map(n -> Integer.parseInt(n.substring("cluster-".length())))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + layout.shardsDir(), e);
        }
    }

    /** Launches one process per cluster, {@code parallel} at a time; returns when all have ended. */
    static List<Outcome> launch(RunLayout layout, List<Integer> clusters, int parallel, List<String> extraArgs,
                                Consumer<Outcome> onDone) {
        if (parallel < 1) {
            throw new IllegalArgumentException("Invalid --parallel: " + parallel);
        }
        int threads = org.parisjava.run.ComputeThreads.perProcess(parallel);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, clusters.size()));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int k : clusters) {
                futures.add(pool.submit(() -> {
                    Outcome o = runOne(layout, k, threads, extraArgs);
                    onDone.accept(o);
                    return o;
                }));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while training experts", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not run an expert process: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String> command(RunLayout layout, int cluster, int threads, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.awt.headless=true");
        for (String prop : List.of("ai.djl.offline", "org.bytedeco.javacpp.cachedir")) {
            String v = System.getProperty(prop);
            if (v != null) {
                cmd.add("-D" + prop + "=" + v);
            }
        }
        cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-D" + ParentWatch.PROPERTY + "=stdin");
        cmd.add(ParisCli.class.getName());
        cmd.add("train-expert");
        cmd.add("--run");
        cmd.add(layout.root().toAbsolutePath().toString());
        cmd.add("--cluster");
        cmd.add(Integer.toString(cluster));
        cmd.add("--device"); // the parent's device: every expert of a run computes where the run does
        cmd.add(ComputeDevice.currentSpec());
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** The environment a child adds to this process's: OMP_WAIT_POLICY=PASSIVE unless already set. */
    static java.util.Map<String, String> environment() {
        String omp = System.getenv("OMP_WAIT_POLICY");
        return java.util.Map.of("OMP_WAIT_POLICY", omp != null ? omp : "PASSIVE");
    }

    /** Children alive now, destroyed if this JVM exits (normally, Ctrl-C or SIGTERM) before they end. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy),
                "paris-destroy-expert-processes"));
    }

    private static Outcome runOne(RunLayout layout, int cluster, int threads, List<String> extraArgs)
            throws IOException, InterruptedException {
        Path dir = layout.expertDir(cluster);
        Files.createDirectories(dir);
        Path log = dir.resolve("train.log");
        waitForLiveWriter(dir, cluster);
        ProcessBuilder pb = new ProcessBuilder(command(layout, cluster, threads, extraArgs))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment());
        long start = System.nanoTime();
        Process p = pb.start(); // stdin stays a pipe from here: the child stops when it closes
        RUNNING.add(p);
        try {
            int code = p.waitFor();
            return new Outcome(cluster, code, log, (System.nanoTime() - start) / 1e9);
        } finally {
            if (p.isAlive()) {
                p.destroy();
            }
            RUNNING.remove(p);
        }
    }

    /**
     * If a live process on this host holds the expert's writer lock (an orphan of a killed run
     * still finishing its step, a trainer started by hand), waits until it ends; it then resumes or
     * is found finished. A holder on another host cannot be waited for: the child will refuse, naming it.
     */
    static void waitForLiveWriter(Path dir, int cluster) throws InterruptedException {
        var holder = org.parisjava.io.WriterLock.holder(dir);
        if (holder.isEmpty()) {
            return;
        }
        var process = org.parisjava.io.WriterLock.process(holder.get());
        if (process.isEmpty()) {
            return;
        }
        org.slf4j.LoggerFactory.getLogger(ExpertLauncher.class).warn(
                "expert {} is being written by {}; waiting for it to end before starting its trainer", cluster,
                holder.get());
        try {
            process.get().onExit().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not wait for " + holder.get(), e);
        }
    }
}
