package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.parisjava.run.RunLayout;

/** The per-cluster folders of a run that several stages list among their inputs or outputs. */
final class StageFiles {
    private StageFiles() {
    }

    /** shards/cluster-00 .. shards/cluster-(K-1). */
    static List<Path> shards(RunLayout run, Reproduction.Options o) {
        return perCluster(o, run::shardDir);
    }

    /** experts/cluster-00 .. experts/cluster-(K-1). */
    static List<Path> experts(RunLayout run, Reproduction.Options o) {
        return perCluster(o, run::expertDir);
    }

    private static List<Path> perCluster(Reproduction.Options o, IntFunction<Path> dir) {
        List<Path> out = new ArrayList<>();
        for (int c = 0; c < o.preset().coarseClusters(); c++) {
            out.add(dir.apply(c));
        }
        return out;
    }
}
