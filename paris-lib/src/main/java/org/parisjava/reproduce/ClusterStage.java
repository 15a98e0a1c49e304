package org.parisjava.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.parisjava.cluster.ClusteringPipeline;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;
import org.parisjava.latent.LatentCodec;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.latent.ShardLatents;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.viz.ClusterGrids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1: features, two-stage k-means and one shard per cluster. Reads the dataset (outside the
 * run folder: the only stage that does); writes {@code clustering/} and {@code shards/cluster-XX}, whose
 * images are encoded once by the run's latent codec when it is not the identity ({@code latents.f32}).
 */
final class ClusterStage implements PipelineStage {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStage.class);
    static final String CLUSTERING_FILE = "clustering.json";
    /** What the clustering pipeline records of how it was made. */
    static final String CONFIG_FILE = "config.json";

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
        return clustered(run, o) && IntStream.range(0, o.preset().coarseClusters()).allMatch(c -> encoded(run, o, c));
    }

    private static boolean clustered(RunLayout run, Reproduction.Options o) {
        return Files.isRegularFile(run.clusteringDir().resolve(CLUSTERING_FILE))
                && IntStream.range(0, o.preset().coarseClusters()).allMatch(c -> Shard.exists(run.shardDir(c)));
    }

    /** Whether shard c holds what the run trains on: latents in a latent space, the pixels alone otherwise. */
    private static boolean encoded(RunLayout run, Reproduction.Options o, int c) {
        boolean latent = !o.latent().equals(LatentCodecs.IDENTITY);
        return (Shard.readManifest(run.shardDir(c)).latents() != null) == latent;
    }

    /**
     * Clusters and writes the shards (unless that finished before), then, in a latent space, encodes
     * each shard's images once with the run's codec ({@link ShardLatents}): every later stage trains on
     * those latents and never runs the encoder.
     */
    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        if (!clustered(run, o)) {
            ClusteringPipeline.Result r = ClusteringPipeline.run(Reproduction.openDataset(o), options(o), run,
                    listener, o.seed());
            ClusterGrids.write(run, r.examples());
        }
        if (o.latent().equals(LatentCodecs.IDENTITY)) {
            return;
        }
        int k = o.preset().coarseClusters();
        try (LatentCodec codec = openCodec(o)) {
            for (int c = 0; c < k; c++) {
                if (!encoded(run, o, c)) {
                    ImageSpec latent = ShardLatents.encode(run.shardDir(c), codec, ShardLatents.DEFAULT_BATCH);
                    LOG.info("shard {}: latents {} by {}", c, latent, codec.describe());
                }
                listener.onProgress(ProgressEvent.of("encode latents", c + 1, k));
            }
        }
    }

    /** The run's latent codec, or null in pixel space (the identity: the models' outputs are images). */
    static LatentCodec openCodec(Reproduction.Options o) {
        return o.latent().equals(LatentCodecs.IDENTITY) ? null : LatentCodecs.open(o.latent());
    }

    /** The clustering this run makes (what clustering/config.json records as "options"). */
    static PipelineOptions options(Reproduction.Options o) {
        return PipelineOptions.of(o.preset(), o.seed()).withFeatures(o.features());
    }
}
