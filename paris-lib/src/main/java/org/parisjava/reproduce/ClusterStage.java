package org.parisjava.reproduce;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.parisjava.cluster.ClusteringPipeline;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;
import org.parisjava.io.Json;
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
        checkExisting(run, o);
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

    /**
     * Refuses a clustering already in the run folder that this run's settings would not have made, e.g. one
     * written by {@code paris cluster} with other options: reusing it would train the experts on other images
     * (more of them, at another size) or another K without a word, and clustering again would overwrite it.
     * Compares clustering/config.json with the preset and options: the clustering's own settings (K, fine
     * clusters, balancing, features, PCA, samples fitted), the image side where the preset sets one, and the
     * number of images, at most the preset's. Settings a folder's config.json does not hold (older folders)
     * are not compared. Needs no dataset, so a clustered run moved without its data still passes.
     *
     * @throws IllegalArgumentException naming the folder, the file and each differing setting
     */
    static void checkExisting(RunLayout run, Reproduction.Options o) {
        Path file = run.clusteringDir().resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonObject made = Json.read(file, JsonObject.class);
        List<String> diffs = new ArrayList<>();
        JsonObject options = made.has("options") ? made.getAsJsonObject("options") : new JsonObject();
        JsonObject asked = Json.gson().toJsonTree(options(o)).getAsJsonObject();
        for (String name : List.of("features", "pcaComponents", "pcaSample", "fitSample", "modelInputSize", "imagenetNorm")) {
            compare(diffs, name, options.get(name), asked.get(name));
        }
        JsonObject clustering = options.has("clustering") ? options.getAsJsonObject("clustering") : new JsonObject();
        JsonObject askedClustering = asked.getAsJsonObject("clustering");
        for (String name : List.of("coarseClusters", "fineClusters", "balancing", "capacityFactor", "maxIterations",
                "tolerance", "coarseRestarts", "fineEngine")) {
            compare(diffs, name, clustering.get(name), askedClustering.get(name));
        }
        int side = o.preset().imageSize();
        if (side > 0 && made.has("height") && made.has("width")
                && (made.get("height").getAsInt() != side || made.get("width").getAsInt() != side)) {
            diffs.add("images " + made.get("height").getAsInt() + "x" + made.get("width").getAsInt() + ", asked "
                    + side + "x" + side);
        }
        int limit = o.preset().trainImages();
        if (limit > 0 && made.has("samples") && made.get("samples").getAsLong() > limit) {
            diffs.add("samples " + made.get("samples").getAsLong() + ", asked at most " + limit);
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("Run folder " + run.root() + " holds a clustering made with other settings"
                    + " than this run's (preset " + o.preset().name() + "), in " + file + ": " + String.join("; ", diffs)
                    + ". Use a new --out, or delete " + run.clusteringDir() + " and " + run.shardsDir()
                    + " so that this run clusters again");
        }
    }

    private static void compare(List<String> diffs, String name, JsonElement made, JsonElement asked) {
        if (made != null && asked != null && !made.equals(asked)) {
            diffs.add(name + " " + made + ", asked " + asked);
        }
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

    private static PipelineOptions options(Reproduction.Options o) {
        return PipelineOptions.of(o.preset(), o.seed()).withFeatures(o.features());
    }
}
