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
 * Runs a run's trainers as separate OS processes: the same java, the same classpath, {@code ParisCli
 * train-expert --run R --cluster k} (and, under {@code paris reproduce}, {@code train-monolith} and
 * {@code train-router} in the same pool). Each child gets max(1, cores / parallel) PyTorch threads so P
 * children do not oversubscribe the machine, and OMP_WAIT_POLICY=PASSIVE (unless the environment
 * sets it) so that idle OpenMP threads sleep instead of spinning against the other children; its
 * output is appended to train.log in its model folder (experts/cluster-XX/train.log, monolith/train.log...).
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
        List<Job> jobs = clusters.stream().map(k -> Job.expert(layout, k, extraArgs)).toList();
        List<JobOutcome> done = launchJobs(jobs, parallel, oc -> onDone.accept(oc.asExpert()));
        return done.stream().map(JobOutcome::asExpert).toList();
    }

    /**
     * One training process of a run: a {@code paris} subcommand and its arguments, and the model folder
     * whose train.log receives its output.
     *
     * @param label   what it trains, for messages: "expert 3", "monolith", "router", "text-aware router"
     * @param cluster the expert's cluster, or -1 for another model
     * @param dir     the model folder
     * @param args    the subcommand and its arguments, e.g. {@code train-monolith --run R --seed 42}
     */
    record Job(String label, int cluster, Path dir, List<String> args) {
        Job {
            args = List.copyOf(args);
        }

        static Job expert(RunLayout layout, int cluster, List<String> extraArgs) {
            List<String> a = new ArrayList<>(List.of("train-expert", "--run", layout.root().toAbsolutePath().toString(),
                    "--cluster", Integer.toString(cluster)));
            a.addAll(extraArgs);
            return new Job("expert " + cluster, cluster, layout.expertDir(cluster), a);
        }
    }

    /** How one job's process ended, and its wall seconds. */
    record JobOutcome(Job job, int exitCode, Path log, double seconds) {
        Outcome asExpert() {
            return new Outcome(job.cluster(), exitCode, log, seconds);
        }
    }

    /**
     * Runs the jobs as OS processes, {@code parallel} at a time, started in the order given (put the longest
     * first, so that the short ones fill in around it); returns when all have ended, in the jobs' order.
     */
    static List<JobOutcome> launchJobs(List<Job> jobs, int parallel, Consumer<JobOutcome> onDone) {
        if (parallel < 1) {
            throw new IllegalArgumentException("Invalid --parallel: " + parallel);
        }
        if (jobs.isEmpty()) {
            return List.of();
        }
        int threads = org.parisjava.run.ComputeThreads.perProcess(parallel);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, jobs.size()));
        try {
            List<Future<JobOutcome>> futures = new ArrayList<>();
            for (Job j : jobs) {
                futures.add(pool.submit(() -> {
                    JobOutcome o = runOne(j, threads);
                    onDone.accept(o);
                    return o;
                }));
            }
            List<JobOutcome> out = new ArrayList<>();
            for (Future<JobOutcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while training", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not run a training process: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String> command(RunLayout layout, int cluster, int threads, List<String> extraArgs) {
        return command(Job.expert(layout, cluster, extraArgs), threads);
    }

    /**
     * The child's command line: the same java and classpath, {@code threads} PyTorch threads, watching its standard
     * input for the parent's end, on the parent's device (every model of a run computes where the run does).
     */
    static List<String> command(Job job, int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(memoryOptions(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
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
        cmd.addAll(job.args());
        cmd.add("--device");
        cmd.add(ComputeDevice.currentSpec());
        return cmd;
    }

    /**
     * The parent's heap and garbage-collector options (-Xmx, -Xms, -Xss, -XX:...; what PARIS_JAVA_OPTS sets), which a
     * child trainer needs as much as the parent: the monolith of a paper preset holds as much as it did in process.
     */
    static List<String> memoryOptions(List<String> parentArgs) {
        return parentArgs.stream().filter(a -> a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss")
                || a.startsWith("-XX:")).toList();
    }

    /** The environment a child adds to this process's: OMP_WAIT_POLICY=PASSIVE unless already set. */
    static java.util.Map<String, String> environment() {
        String omp = System.getenv("OMP_WAIT_POLICY");
        return java.util.Map.of("OMP_WAIT_POLICY", omp != null ? omp : "PASSIVE");
    }

    /** Children alive now, destroyed if this JVM exits (normally, Ctrl-C or SIGTERM) before they end. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!RUNNING.isEmpty()) { // Ctrl-C or SIGTERM while training: say what happens and what to do
                System.err.println("\nparis: stopping; each trainer checkpoints after its current step. Run the same"
                        + " command again to resume.");
                System.err.flush();
            }
            RUNNING.forEach(Process::destroy);
        }, "paris-destroy-expert-processes"));
    }

    private static JobOutcome runOne(Job job, int threads) throws IOException, InterruptedException {
        Path dir = job.dir();
        Files.createDirectories(dir);
        Path log = dir.resolve("train.log");
        waitForLiveWriter(dir, job.label());
        ProcessBuilder pb = new ProcessBuilder(command(job, threads))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment());
        long start = System.nanoTime();
        Process p = pb.start(); // stdin stays a pipe from here: the child stops when it closes
        RUNNING.add(p);
        try {
            int code = p.waitFor();
            return new JobOutcome(job, code, log, (System.nanoTime() - start) / 1e9);
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
        waitForLiveWriter(dir, "expert " + cluster);
    }

    static void waitForLiveWriter(Path dir, String label) throws InterruptedException {
        var holder = org.parisjava.io.WriterLock.holder(dir);
        if (holder.isEmpty()) {
            return;
        }
        var process = org.parisjava.io.WriterLock.process(holder.get());
        if (process.isEmpty()) {
            return;
        }
        org.slf4j.LoggerFactory.getLogger(ExpertLauncher.class).warn(
                "{} is being written by {}; waiting for it to end before starting its trainer", label,
                holder.get());
        try {
            process.get().onExit().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not wait for " + holder.get(), e);
        }
    }
}
