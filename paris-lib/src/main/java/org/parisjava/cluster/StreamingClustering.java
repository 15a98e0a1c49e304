package org.parisjava.cluster;

import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.parisjava.io.AtomicFiles;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-stage k-means at the paper's scale from {@link FeatureShards}: Paris clusters DINOv2 features
 * of 11M images (arXiv 2510.03434), which no heap holds. Two passes over the shards, each reading one
 * batch at a time:
 *
 * <ol>
 *   <li>a seeded reservoir sample of {@code fitSample} rows (uniform over all rows), on which
 *       {@link TwoStageKMeans} fits the fine and coarse centroids;</li>
 *   <li>every row goes to the coarse cluster of its nearest fine centroid (one GEMM per batch, the
 *       same ids as {@link Clustering#predictFine(float[])} row by row); the assignments are
 *       written as one int32 (little-endian) per row, fine then coarse, to {@code assignments.bin}
 *       when an output file is given, and the coarse cluster sizes are counted.</li>
 * </ol>
 *
 * <p>Memory is the sample (fitSample x D doubles while fitting), the centroids and one batch,
 * whatever the number of rows.
 */
public final class StreamingClustering {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingClustering.class);

    private StreamingClustering() {
    }

    /**
     * The outcome and its cost.
     *
     * @param sizes        rows per coarse cluster (K)
     * @param fitRows      rows the k-means was fitted on
     * @param sampleSecond seconds of pass 1 (reading and sampling)
     * @param fitSeconds   seconds of the two k-means
     * @param assignSeconds seconds of pass 2 (reading and assigning every row)
     */
    public record Result(Clustering clustering, long rows, long[] sizes, int fitRows, double sampleSecond,
                         double fitSeconds, double assignSeconds) {
    }

    /**
     * Fits on a sample of {@code features} and assigns every row.
     *
     * @param fitSample   rows to fit on (all rows when the folder has fewer)
     * @param batchSize   rows read at a time
     * @param assignments where to write the per-row assignments, or null
     * @throws IllegalArgumentException if the sample is smaller than the fine clusters
     */
    public static Result run(FeatureShards features, ClusteringOptions options, int fitSample, int batchSize,
                             Path assignments, ProgressListener progress) {
        if (fitSample < options.fineClusters()) {
            throw new IllegalArgumentException("Invalid fit sample " + fitSample + ": fewer rows than the "
                    + options.fineClusters() + " fine clusters");
        }
        long n = features.rows();
        int keep = (int) Math.min(fitSample, n);
        float[][] sample = new float[keep][];
        SplittableRandom rng = new SplittableRandom(options.seed() ^ 0x5EEDL);
        long t0 = System.nanoTime();
        features.forEachBatch(batchSize, (rows, count, start) -> {
            for (int b = 0; b < count; b++) {
                long i = start + b;
                if (i < keep) {
                    sample[(int) i] = rows[b].clone();
                } else {
                    long r = rng.nextLong(i + 1); // reservoir sampling: uniform over all rows seen
                    if (r < keep) {
                        sample[(int) r] = rows[b].clone();
                    }
                }
            }
            progress.onProgress(ProgressEvent.of("feature sample", start + count, n));
        });
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Clustering clustering = TwoStageKMeans.fit(sample, options);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        java.util.Arrays.fill(sample, null); // the sample is not needed for the assignment pass
        t0 = System.nanoTime();
        long[] sizes = new long[clustering.k()];
        if (assignments != null) {
            AtomicFiles.write(assignments, out -> assign(features, clustering, batchSize, sizes,
                    new DataOutputStream(out), progress));
        } else {
            assign(features, clustering, batchSize, sizes, null, progress);
        }
        double assignSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("clustered {} rows of {} (fitted on {}): sizes {}; sample {} s, fit {} s, assign {} s", n,
                features.dir(), keep, java.util.Arrays.toString(sizes), String.format("%.1f", sampleSeconds),
                String.format("%.1f", fitSeconds), String.format("%.1f", assignSeconds));
        return new Result(clustering, n, sizes, keep, sampleSeconds, fitSeconds, assignSeconds);
    }

    private static void assign(FeatureShards features, Clustering clustering, int batchSize, long[] sizes,
                               DataOutputStream out, ProgressListener progress) {
        long n = features.rows();
        ExactNearest nearest = new ExactNearest(clustering);
        int[] fineIds = new int[batchSize];
        features.forEachBatch(batchSize, (rows, count, start) -> {
            nearest.nearest(rows, count, fineIds);
            try {
                for (int b = 0; b < count; b++) {
                    int fine = fineIds[b];
                    int coarse = clustering.coarseOf(fine);
                    sizes[coarse]++;
                    if (out != null) {
                        out.writeInt(Integer.reverseBytes(fine));
                        out.writeInt(Integer.reverseBytes(coarse));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write the assignments", e);
            }
            progress.onProgress(ProgressEvent.of("assign", start + count, n));
        });
        if (out != null) {
            try {
                out.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write the assignments", e);
            }
        }
    }
}
