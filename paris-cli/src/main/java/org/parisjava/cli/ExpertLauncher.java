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
 * children do not oversubscribe the machine, and its output goes to experts/cluster-XX/train.log.
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
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
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

    private static Outcome runOne(RunLayout layout, int cluster, int threads, List<String> extraArgs)
            throws IOException, InterruptedException {
        Path dir = layout.expertDir(cluster);
        Files.createDirectories(dir);
        Path log = dir.resolve("train.log");
        ProcessBuilder pb = new ProcessBuilder(command(layout, cluster, threads, extraArgs))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            int code = p.waitFor();
            return new Outcome(cluster, code, log, (System.nanoTime() - start) / 1e9);
        } finally {
            if (p.isAlive()) {
                p.destroy();
            }
        }
    }
}
