package org.parisjava.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.parisjava.cluster.ClusteringPipeline;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.Shard;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.viz.ClusterGrids;

/**
 * Stage 1: features, two-stage k-means and one shard per cluster. Reads the dataset (outside the
 * run folder: the only stage that does); writes {@code clustering/} and {@code shards/cluster-XX}.
 */
final class ClusterStage implements PipelineStage {
    static final String CLUSTERING_FILE = "clustering.json";

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.CLUSTER;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        return List.of();
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        List<Path> out = new ArrayList<>(List.of(run.clusteringDir().resolve(CLUSTERING_FILE)));
        out.addAll(StageFiles.shards(run, o));
        return out;
    }

    /** The dataset must open (its spec parses, its files exist) and the clustering features must be known. */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        if (isDone(run, o)) {
            return;
        }
        PipelineOptions po = options(o);
        if (po.features().startsWith("model:")) {
            Path model = Path.of(po.features().substring("model:".length()));
            if (!Files.exists(model)) {
                throw new IllegalArgumentException("Clustering features " + po.features() + ": no such file " + model);
            }
        }
        Reproduction.openDataset(o);
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return Files.isRegularFile(run.clusteringDir().resolve(CLUSTERING_FILE))
                && IntStream.range(0, o.preset().coarseClusters()).allMatch(c -> Shard.exists(run.shardDir(c)));
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        ClusteringPipeline.Result r = ClusteringPipeline.run(Reproduction.openDataset(o), options(o), run, listener,
                o.seed());
        ClusterGrids.write(run, r.examples());
    }

    private static PipelineOptions options(Reproduction.Options o) {
        return PipelineOptions.of(o.preset(), o.seed()).withFeatures(o.features());
    }
}
