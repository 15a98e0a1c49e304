package org.parisjava.run;

import java.nio.file.Path;

/**
 * Where each stage of a run reads and writes, under one run folder. Every stage reads files the
 * stage before wrote, so each can be its own process on its own machine (a Slurm array task, a
 * notebook cell) as long as they share this folder.
 *
 * <pre>
 * runs/NAME/
 *   run.json                     preset, seed and options of the run
 *   clustering/                  centroids, assignments, composition table and figures
 *   shards/cluster-03/           one cluster's samples: the only data expert 3 ever reads
 *   experts/cluster-03/          expert 3's checkpoints, loss.csv, config
 *   monolith/                    the baseline trained on all shards
 *   router/                      the router's checkpoints and metrics
 *   eval/                        samples per strategy, metrics, results tables
 *   figures/                     the figures of the run
 * </pre>
 */
public record RunLayout(Path root) {

    public Path runConfig() {
        return root.resolve("run.json");
    }

    public Path clusteringDir() {
        return root.resolve("clustering");
    }

    public Path shardsDir() {
        return root.resolve("shards");
    }

    public Path shardDir(int cluster) {
        return shardsDir().resolve(clusterName(cluster));
    }

    public Path expertsDir() {
        return root.resolve("experts");
    }

    public Path expertDir(int cluster) {
        return expertsDir().resolve(clusterName(cluster));
    }

    public Path monolithDir() {
        return root.resolve("monolith");
    }

    public Path routerDir() {
        return root.resolve("router");
    }

    /** A text-aware router trained beside the text-blind one ({@code --router both}, beyond the paper). */
    public Path textAwareRouterDir() {
        return root.resolve("router-text");
    }

    public Path evalDir() {
        return root.resolve("eval");
    }

    /** The routed strategies evaluated again with the text-aware router ({@code --router both}). */
    public Path textAwareEvalDir() {
        return evalDir().resolve("text-aware-router");
    }

    public Path figuresDir() {
        return root.resolve("figures");
    }

    public static String clusterName(int cluster) {
        if (cluster < 0) {
            throw new IllegalArgumentException("Invalid cluster index: " + cluster);
        }
        return String.format("cluster-%02d", cluster);
    }
}
