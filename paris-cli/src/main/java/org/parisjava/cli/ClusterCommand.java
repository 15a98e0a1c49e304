package org.parisjava.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.cluster.Balancing;
import org.parisjava.cluster.ClusteringOptions;
import org.parisjava.cluster.ClusteringPipeline;
import org.parisjava.cluster.PipelineOptions;
import org.parisjava.data.DatasetOptions;
import org.parisjava.data.Datasets;
import org.parisjava.data.ErrorPolicy;
import org.parisjava.data.ImageCaptionDataset;
import org.parisjava.data.InputLimits;
import org.parisjava.data.SkipStats;
import com.google.gson.JsonObject;
import org.parisjava.io.Json;
import org.parisjava.io.WriterLock;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.viz.ClusterGrids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris cluster}: features, two-stage k-means, per-cluster shards and composition reports. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Cluster a dataset into K groups: features, fine k-means, coarse k-means over the fine centroids.",
                "Writes one shard per cluster, the composition table and figure, and a sample grid per cluster."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "SPEC",
            description = "shapes | shapes:N | fashion-mnist | fashion-mnist:test | folder:PATH | webdataset:GLOB (default: the preset's)")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder, e.g. runs/NAME")
    Path out;

    @Option(names = "--preset", defaultValue = "demo", description = "scale preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--k", paramLabel = "K", description = "coarse clusters, one per expert (default: the preset's)")
    Integer k;

    @Option(names = "--fine", paramLabel = "F", description = "fine clusters (default: the preset's; the paper: 1024)")
    Integer fine;

    @Option(names = "--limit", paramLabel = "N",
            description = "use the first N samples, 0 = all (default: the preset's count for its own dataset, else all)")
    Integer limit;

    @Option(names = "--image-size", paramLabel = "S", description = "image side (default: the preset's for shapes, else the dataset's)")
    Integer imageSize;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the data generator and the clustering (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--features", defaultValue = "pca", paramLabel = "pca|model:PATH|hf:PATH",
            description = "feature extractor: PCA of pixels, a TorchScript (.pt) / ONNX (.onnx) model, or hf:PATH, a"
                    + " transformers DINOv2 folder such as facebook/dinov2-large run in Java (CLS token) (default: ${DEFAULT-VALUE})")
    String features;

    @Option(names = "--model-input", defaultValue = "224", paramLabel = "S",
            description = "with --features model:PATH or hf:PATH: square input side the model takes (default: ${DEFAULT-VALUE}, DINOv2's)")
    int modelInput;

    @Option(names = "--no-imagenet-norm", description = "with --features model:PATH or hf:PATH: feed pixels in [-1, 1] instead of ImageNet-normalized")
    boolean noImagenetNorm;

    @Option(names = "--pca", paramLabel = "D", description = "PCA components (default: the preset's)")
    Integer pcaComponents;

    @Option(names = "--balance", defaultValue = "weighted", paramLabel = "none|weighted|capped",
            description = "coarse-step size balancing (default: ${DEFAULT-VALUE})")
    String balance;

    @Option(names = "--capacity", defaultValue = "1.25",
            description = "with --balance capped: largest cluster at most this times N/K (default: ${DEFAULT-VALUE})")
    double capacity;

    @Option(names = "--fine-engine", defaultValue = "lloyd", paramLabel = "lloyd|smile",
            description = "fine-stage k-means: this project's vectorized Lloyd, or Smile's KMeans (default: ${DEFAULT-VALUE})")
    String fineEngine;

    @Option(names = "--fit-sample", paramLabel = "N",
            description = "fit k-means on a seeded sample of N feature rows and stream the data twice, 0 = all in memory"
                    + " (default: 0; 200000 for the paper presets)")
    Integer fitSample;

    @Option(names = "--fashion-mnist-dir", paramLabel = "DIR", description = "folder of the Fashion-MNIST .gz files")
    Path fashionMnistDir;

    @Option(names = "--skip-corrupt", description = "skip and count unreadable samples instead of failing")
    boolean skipCorrupt;

    @Option(names = "--max-image-pixels", paramLabel = "N",
            description = "refuse images of more than N pixels, read from their header before decoding"
                    + " (default: ${DEFAULT-VALUE}, Pillow's limit)")
    long maxImagePixels = InputLimits.DEFAULT_MAX_IMAGE_PIXELS;

    @Option(names = "--max-member-bytes", paramLabel = "B",
            description = "refuse WebDataset samples with a tar member of more than B bytes (default: ${DEFAULT-VALUE})")
    long maxMemberBytes = InputLimits.DEFAULT_MAX_MEMBER_BYTES;

    static final class PresetNames extends java.util.ArrayList<String> {
        PresetNames() {
            super(Preset.names());
        }
    }

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        device.apply();
        PrintStream o = System.out;
        Preset p = Preset.of(preset);
        String spec = dataset != null ? dataset : p.dataset();
        boolean presetData = spec.equals(p.dataset());
        SkipStats skips = new SkipStats();
        DatasetOptions dopts = DatasetOptions.defaults()
                .withLimit(limit != null ? limit : presetData ? p.trainImages() : 0)
                .withImageSize(imageSize != null ? imageSize : presetData ? p.imageSize() : 0)
                .withSeed(seed)
                .withErrorPolicy(skipCorrupt ? ErrorPolicy.SKIP : ErrorPolicy.FAIL)
                .withSkipStats(skips)
                .withInputLimits(new InputLimits(maxImagePixels, maxMemberBytes));
        if (fashionMnistDir != null) {
            dopts = dopts.withFashionMnistDir(fashionMnistDir);
        }
        ImageCaptionDataset data = Datasets.open(spec, dopts);
        Balancing b = switch (balance.toLowerCase(Locale.ROOT)) {
            case "none" -> Balancing.NONE;
            case "weighted" -> Balancing.WEIGHTED;
            case "capped" -> Balancing.CAPPED;
            default -> throw new IllegalArgumentException("Unknown --balance '" + balance + "' (none, weighted, capped)");
        };
        PipelineOptions po = PipelineOptions.of(p, seed);
        ClusteringOptions co = ClusteringOptions.of(fine != null ? fine : p.fineClusters(),
                k != null ? k : p.coarseClusters(), seed).withBalancing(b, capacity)
                .withFineEngine(switch (fineEngine.toLowerCase(Locale.ROOT)) {
                    case "lloyd" -> ClusteringOptions.FineEngine.LLOYD;
                    case "smile" -> ClusteringOptions.FineEngine.SMILE;
                    default -> throw new IllegalArgumentException("Unknown --fine-engine '" + fineEngine + "' (lloyd, smile)");
                });
        po = po.withClustering(co).withFeatures(features)
                .withFitSample(fitSample != null ? fitSample : po.fitSample())
                .withModelInput(modelInput, !noImagenetNorm);
        if (pcaComponents != null) {
            po = po.withPcaComponents(pcaComponents);
        }
        RunLayout layout = new RunLayout(out);
        // the whole run (run.json, the shards every later stage reads) and the clustering folder
        try (WriterLock run = WriterLock.acquire(layout.root(), "paris cluster");
             WriterLock lock = WriterLock.acquire(layout.clusteringDir(), "paris cluster")) {
            // the run's preset and seed, as reproduce records them: later stages (train-expert) use them
            Reproduction.recordRun(layout, Reproduction.Options.of(p, seed).withDataset(spec).withFeatures(features));
            recordSettings(layout, co, po);
            o.printf(Locale.ROOT, "paris cluster: %s (%s), %s features, %d fine -> K=%d, seed %d -> %s%n", data.name(),
                    data.size().isPresent() ? data.size().getAsLong() + " samples" : "streaming", features,
                    co.fineClusters(), co.coarseClusters(), seed, out);
            long t0 = System.nanoTime();
            ClusteringPipeline.Result r = ClusteringPipeline.run(data, po, layout, new TerminalProgress(o), seed);
            ClusterGrids.write(layout, r.examples());
            double secs = (System.nanoTime() - t0) / 1e9;
            printSummary(o, r, secs, skips.skipped());
        }
        return 0;
    }

    /** Adds this command's clustering settings to run.json ("cluster"), beside what reproduce records. */
    private void recordSettings(RunLayout layout, ClusteringOptions co, PipelineOptions po) {
        JsonObject run = Json.read(layout.runConfig(), JsonObject.class);
        JsonObject c = new JsonObject();
        c.addProperty("command", "paris cluster");
        c.addProperty("dataset", dataset);
        c.addProperty("seed", seed);
        c.addProperty("fineClusters", co.fineClusters());
        c.addProperty("coarseClusters", co.coarseClusters());
        c.addProperty("balance", balance);
        c.addProperty("capacity", capacity);
        c.addProperty("fineEngine", fineEngine);
        c.addProperty("features", features);
        c.add("pipeline", Json.gson().toJsonTree(po));
        c.addProperty("limit", limit);
        c.addProperty("imageSize", imageSize);
        c.addProperty("skipCorrupt", skipCorrupt);
        run.add("cluster", c);
        Json.write(layout.runConfig(), run);
    }

    static void printSummary(PrintStream o, ClusteringPipeline.Result r, double secs, long skipped) {
        o.printf(Locale.ROOT, "%d samples clustered in %.1f s%s%n", r.samples(), secs,
                skipped > 0 ? " (" + skipped + " unreadable samples skipped)" : "");
        o.println("cluster   size  " + (r.composition().attributeNames().isEmpty() ? ""
                : "majority (" + r.composition().bestAttribute().orElseThrow() + ")"));
        String best = r.composition().bestAttribute().orElse(null);
        for (int c = 0; c < r.sizes().length; c++) {
            o.printf(Locale.ROOT, "%7d %6d  %s%n", c, r.sizes()[c], best == null ? ""
                    : r.composition().majority(c, best).orElse("") + String.format(Locale.ROOT, " (%.0f%%)",
                    100 * r.composition().purity(c, best)));
        }
        for (String a : r.composition().attributeNames()) {
            o.printf(Locale.ROOT, "purity %-12s %.3f (one cluster: %.3f)%n", a, r.purity().get(a),
                    r.composition().baselinePurity(a));
        }
        o.println("wrote " + r.dir() + " (clustering.json, assignments.csv, composition.csv/png, grids/) and shards/");
    }
}
