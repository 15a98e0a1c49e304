package org.parisjava.cluster;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.parisjava.data.ImageCaptionDataset;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShardWriter;
import org.parisjava.features.DjlModelFeatures;
import org.parisjava.features.FeatureExtractor;
import org.parisjava.features.HfDinov2Features;
import org.parisjava.features.ImageNormalization;
import org.parisjava.features.PcaFeatures;
import org.parisjava.io.Json;
import org.parisjava.run.OpenBlas;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset in, per-cluster shards out: the first stage of Paris as one call.
 *
 * <ol>
 *   <li>features: PCA fitted on the first {@code pcaSample} images (saved as {@code pca.json}),
 *       or a DJL model;</li>
 *   <li>pass 1 over the stream: features batch by batch; all held when {@code fitSample} is 0
 *       (demo scale), else a seeded reservoir sample of {@code fitSample} rows;</li>
 *   <li>two-stage k-means on those features;</li>
 *   <li>pass 2 over the stream (datasets are deterministic): every sample goes to the cluster of
 *       its nearest fine centroid and is written to that cluster's shard, its row to
 *       {@code assignments.csv}, its attributes to the composition counts.</li>
 * </ol>
 *
 * <p>Writes under {@link RunLayout#clusteringDir()}: {@code clustering.json}, {@code pca.json},
 * {@code assignments.csv} (id, fine, cluster), {@code composition.csv} (cluster, attribute, value,
 * count, fraction), {@code clusters.csv} (size, majority value and purity per attribute),
 * {@code composition.png}, {@code config.json} (seed and options)
 * and {@code summary.json}; and one shard per cluster under {@link RunLayout#shardDir(int)}.
 */
public final class ClusteringPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteringPipeline.class);

    /**
     * What a run produced.
     *
     * @param purity   each attribute's purity over all samples
     * @param examples the first {@code gridImages} images of each cluster, cluster by cluster (for
     *                 pictures such as {@code viz.ClusterGrids}; this package draws none)
     */
    public record Result(Clustering clustering, ClusterComposition composition, long samples, long[] sizes,
                         Map<String, Double> purity, String features, Path dir, List<List<ImageU8>> examples) {
    }

    /** Recorded as clustering/config.json so the outputs say how they were made. */
    record Config(String dataset, int channels, int height, int width, long seed, String features, int featureDim,
                  long samples, int fitSamples, PipelineOptions options) {
    }

    private ClusteringPipeline() {
    }

    public static Result run(ImageCaptionDataset data, PipelineOptions options, RunLayout layout,
                             ProgressListener progress, long seed) {
        OpenBlas.loadInBackground(); // the PCA and the k-means need it; reading the data overlaps its loading
        ClusterComposition.warmUpChartsInBackground(); // for the composition chart and the grids at the end
        ClusteringOptions co = options.clustering().withSeed(seed);
        Path dir = layout.clusteringDir();
        long total = data.size().orElse(0);
        Map<String, Double> seconds = new LinkedHashMap<>(); // wall time per stage, for summary.json
        long t0 = System.nanoTime();
        try (FeatureExtractor fx = features(data, options, dir, progress)) {
            seconds.put("featureFit", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            // pass 1: features, held or sampled
            boolean holdAll = options.fitSample() == 0;
            List<float[]> held = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL);
            long n = forEachBatch(data, options.batchSize(), (batch, start) -> {
                float[][] f = fx.extract(images(batch)); // (B, D)
                for (int b = 0; b < f.length; b++) {
                    long i = start + b;
                    if (holdAll || held.size() < options.fitSample()) {
                        held.add(f[b]);
                    } else {
                        long r = rng.nextLong(i + 1); // reservoir sampling: uniform over all rows seen
                        if (r < options.fitSample()) {
                            held.set((int) r, f[b]);
                        }
                    }
                }
                progress.onProgress(ProgressEvent.of("features", start + batch.size(), total));
            });
            if (n == 0) {
                throw new IllegalArgumentException("Dataset " + data.name() + " yielded no samples");
            }
            seconds.put("features", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            progress.onProgress(ProgressEvent.of("k-means", 0, 1));
            Clustering clustering = TwoStageKMeans.fit(held.toArray(float[][]::new), co);
            progress.onProgress(ProgressEvent.of("k-means", 1, 1));
            seconds.put("kmeans", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            clustering.save(dir.resolve("clustering.json"));
            // the held rows are all rows, in order, when nothing was sampled away
            List<List<ImageU8>> examples = new ArrayList<>();
            ClusterComposition composition = assignAndShard(data, options, layout, progress, seed, fx, clustering,
                    held.size() == n ? held : null, n, examples);
            Map<String, Double> purity = new LinkedHashMap<>();
            for (String a : composition.attributeNames()) {
                purity.put(a, composition.purity(a));
            }
            writeReports(dir, composition);
            seconds.put("assignShardsReports", (System.nanoTime() - t0) / 1e9);
            Json.write(dir.resolve("config.json"), new Config(data.name(), data.spec().channels(), data.spec().height(),
                    data.spec().width(), seed, fx.name(), fx.dimension(), n, held.size(), options.withClustering(co)));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("samples", n);
            summary.put("sizes", composition.sizes());
            summary.put("sizeRatio", clustering.sizeRatio());
            summary.put("purity", purity);
            Map<String, Double> baseline = new LinkedHashMap<>();
            composition.attributeNames().forEach(a -> baseline.put(a, composition.baselinePurity(a)));
            summary.put("baselinePurity", baseline);
            summary.put("seconds", seconds);
            Json.write(dir.resolve("summary.json"), summary);
            LOG.info("clustered {} samples of {} into {} clusters: sizes {}", n, data.name(), co.coarseClusters(),
                    java.util.Arrays.toString(composition.sizes()));
            return new Result(clustering, composition, n, composition.sizes(), purity, fx.name(), dir,
                    examples.stream().map(List::copyOf).toList());
        }
    }

    private static FeatureExtractor features(ImageCaptionDataset data, PipelineOptions o, Path dir,
                                             ProgressListener progress) {
        if (o.features().startsWith("hf:")) {
            return HfDinov2Features.builder().setFolder(Path.of(o.features().substring(3)))
                    .optInputSize(o.modelInputSize())
                    .optNormalization(o.imagenetNorm() ? ImageNormalization.IMAGENET : ImageNormalization.SIGNED)
                    .build();
        }
        if (o.features().startsWith("model:")) {
            return DjlModelFeatures.builder().setModelPath(Path.of(o.features().substring(6)))
                    .optInputSize(3, o.modelInputSize(), o.modelInputSize())
                    .optNormalization(o.imagenetNorm() ? ImageNormalization.IMAGENET : ImageNormalization.SIGNED)
                    .build();
        }
        progress.onProgress(ProgressEvent.of("pca", 0, 1));
        List<ImageU8> sample = new ArrayList<>();
        try (Stream<Sample> s = data.stream()) {
            s.limit(o.pcaSample()).forEach(x -> sample.add(x.image()));
        }
        int components = Math.min(o.pcaComponents(), Math.min(sample.size(), data.spec().numel()));
        PcaFeatures pca = PcaFeatures.fit(sample, components);
        pca.save(dir.resolve("pca.json"));
        progress.onProgress(ProgressEvent.of("pca", 1, 1));
        return pca;
    }

    /** Pass 2: assignment, shards, assignments.csv, composition counts; each cluster's first images into {@code grid}. */
    private static ClusterComposition assignAndShard(ImageCaptionDataset data, PipelineOptions o, RunLayout layout,
                                                     ProgressListener progress, long seed, FeatureExtractor fx,
                                                     Clustering clustering, List<float[]> held, long expected,
                                                     List<List<ImageU8>> grid) {
        int k = clustering.k();
        removeStaleShards(layout, k);
        ClusterComposition composition = ClusterComposition.empty(k, data.attributeNames());
        List<ShardWriter> writers = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            grid.add(new ArrayList<>());
            writers.add(new ShardWriter(layout.shardDir(c), c, data.spec(), data.name(), seed, data.attributeNames()));
        }
        Path csv = layout.clusteringDir().resolve("assignments.csv");
        Path tmp = csv.resolveSibling("assignments.csv.tmp");
        long n;
        int[] heldFine = held == null ? null : clustering.predictFineAll(held.toArray(float[][]::new)); // (N)
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("id,fine,cluster\n");
            n = forEachBatch(data, o.batchSize(), (batch, start) -> {
                int[] fines = held != null ? null : clustering.predictFineAll(fx.extract(images(batch))); // (B)
                for (int b = 0; b < batch.size(); b++) {
                    Sample s = batch.get(b);
                    int fine = held != null ? heldFine[(int) (start + b)] : fines[b];
                    int c = clustering.coarseOf(fine);
                    writers.get(c).add(s);
                    composition.add(c, s.attributes());
                    if (grid.get(c).size() < o.gridImages()) {
                        grid.get(c).add(s.image());
                    }
                    try {
                        w.write(csvField(s.id()) + "," + fine + "," + c + "\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot write " + tmp, e);
                    }
                }
                progress.onProgress(ProgressEvent.of("assign + shards", start + batch.size(), expected));
            }, held == null ? Long.MAX_VALUE : held.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + csv, e);
        }
        if (n != expected) {
            throw new IllegalStateException("Dataset " + data.name() + " yielded " + expected + " samples in the first pass and "
                    + n + " in the second: the clustering needs a deterministic dataset");
        }
        writers.forEach(ShardWriter::close); // manifests last: a shard is complete only once all are
        try {
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + csv, e);
        }
        return composition;
    }

    /**
     * A rerun with a smaller K into the same run folder must not leave the old run's higher shards
     * behind, or a later stage would train experts on them: remove shards/cluster-NN (NN >= K) and
     * their grids (grids/cluster-NN.png, drawn by the caller), but only folders that hold a shard
     * manifest (never anything else).
     */
    private static void removeStaleShards(RunLayout layout, int k) {
        for (int c = k; ; c++) {
            Path shard = layout.shardDir(c);
            Path grid = layout.clusteringDir().resolve("grids").resolve(RunLayout.clusterName(c) + ".png");
            boolean isShard = Files.isRegularFile(shard.resolve(org.parisjava.data.ShardManifest.FILE));
            if (!isShard && !Files.exists(grid)) {
                return;
            }
            try {
                Files.deleteIfExists(grid);
                if (isShard) {
                    LOG.warn("Removing {} left by an earlier run with more clusters", shard);
                    try (Stream<Path> files = Files.list(shard)) {
                        for (Path f : files.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(shard);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove the stale shard " + shard, e);
            }
        }
    }

    private static void writeReports(Path dir, ClusterComposition composition) {
        composition.writeTableCsv(dir.resolve("composition.csv"));
        composition.writeSummaryCsv(dir.resolve("clusters.csv"));
        composition.writeChartPng(dir.resolve("composition.png"), composition.bestAttribute().orElse(null));
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<ImageU8> images(List<Sample> batch) {
        List<ImageU8> out = new ArrayList<>(batch.size());
        for (Sample s : batch) {
            out.add(s.image());
        }
        return out;
    }

    @FunctionalInterface
    private interface BatchConsumer {
        void accept(List<Sample> batch, long start);
    }

    private static long forEachBatch(ImageCaptionDataset data, int batchSize, BatchConsumer consumer) {
        return forEachBatch(data, batchSize, consumer, Long.MAX_VALUE);
    }

    /** Streams the dataset in batches; returns the number of samples seen (stops past {@code max}: caught by the caller). */
    private static long forEachBatch(ImageCaptionDataset data, int batchSize, BatchConsumer consumer, long max) {
        long seen = 0;
        try (Stream<Sample> s = data.stream()) {
            Iterator<Sample> it = s.iterator();
            List<Sample> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == batchSize || !it.hasNext()) {
                    if (seen + batch.size() > max) {
                        throw new IllegalStateException("Dataset " + data.name() + " yielded more than the " + max
                                + " samples of the first pass: the clustering needs a deterministic dataset");
                    }
                    consumer.accept(batch, seen);
                    seen += batch.size();
                    batch = new ArrayList<>(batchSize);
                }
            }
        }
        return seen;
    }
}
