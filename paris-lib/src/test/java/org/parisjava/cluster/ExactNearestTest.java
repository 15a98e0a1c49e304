package org.parisjava.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.ProgressListener;

/**
 * The batched (GEMM) nearest fine centroid of the streamed assignment gives exactly the ids of
 * {@link Clustering#predictFine(float[])} row by row, near-ties, exact ties, large offsets and
 * non-finite rows included, and {@link StreamingClustering} writes those ids.
 */
class ExactNearestTest {
    @TempDir
    Path tmp;

    private static Clustering clustering(double[][] fine) {
        int f = fine.length;
        int d = fine[0].length;
        int[] toCoarse = new int[f];
        for (int i = 0; i < f; i++) {
            toCoarse[i] = i % 2;
        }
        return new Clustering(d, fine, toCoarse, new double[][] {fine[0], fine[1]}, new long[f], new long[2],
                ClusteringOptions.of(f, 2, 1L));
    }

    private static int[] batched(Clustering c, float[][] rows) {
        ExactNearest e = new ExactNearest(c);
        int[] out = new int[rows.length];
        e.nearest(rows, rows.length, out);
        return out;
    }

    private static int[] rowByRow(Clustering c, float[][] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = c.predictFine(rows[i]);
        }
        return out;
    }

    @Test
    void sameIdsAsPredictFineOnNearTiesTiesAndLargeOffsets() {
        SplittableRandom r = new SplittableRandom(3);
        int d = 1024;
        int f = 16;
        double offset = 1000; // |x|^2 dwarfs the distances: the float GEMM alone cannot rank these
        double[][] fine = new double[f][d];
        for (int a = 0; a < f; a++) {
            for (int j = 0; j < d; j++) {
                fine[a][j] = offset + r.nextGaussian() * 0.01;
            }
        }
        fine[5] = fine[2].clone(); // an exact tie: the lower index wins
        Clustering c = clustering(fine);
        float[][] rows = new float[600][d];
        for (int i = 0; i < rows.length; i++) {
            int a = r.nextInt(f);
            int b = r.nextInt(f);
            double t = i < 300 ? 0.5 + r.nextGaussian() * 1e-4 : r.nextDouble(); // near midpoints, then anywhere
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) (fine[a][j] * (1 - t) + fine[b][j] * t + r.nextGaussian() * 1e-3);
            }
        }
        rows[7] = toFloat(fine[2]); // exactly on the tied centroids
        rows[8][3] = Float.NaN;
        rows[9][0] = Float.POSITIVE_INFINITY;
        int[] expected = rowByRow(c, rows);
        assertArrayEquals(expected, batched(c, rows));
        assertEquals(2, expected[7], "exact tie goes to the lower index");
    }

    @Test
    void sameIdsAsPredictFineOnSeparatedClusters() {
        SplittableRandom r = new SplittableRandom(11);
        int d = 50;
        int f = 64;
        double[][] fine = new double[f][d];
        for (double[] c : fine) {
            for (int j = 0; j < d; j++) {
                c[j] = r.nextDouble() * 2 - 1;
            }
        }
        float[][] rows = new float[2000][d];
        for (float[] row : rows) {
            double[] c = fine[r.nextInt(f)];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (c[j] + r.nextGaussian() * 0.5);
            }
        }
        Clustering c = clustering(fine);
        assertArrayEquals(rowByRow(c, rows), batched(c, rows));
    }

    @Test
    void streamedAssignmentWritesThePredictFineIds() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int d = 64;
        float[][][] shards = new float[3][][];
        for (int s = 0; s < shards.length; s++) {
            shards[s] = new float[700 + 100 * s][d];
            for (float[] row : shards[s]) {
                int centre = r.nextInt(8);
                for (int j = 0; j < d; j++) {
                    row[j] = (float) ((j % 8 == centre ? 3 : 0) + r.nextGaussian());
                }
            }
            FeatureShards.write(tmp.resolve(FeatureShards.shardName(s)), shards[s]);
        }
        Path out = tmp.resolve("assignments.bin");
        StreamingClustering.Result res = StreamingClustering.run(FeatureShards.open(tmp), ClusteringOptions.of(16, 4, 9L),
                500, 333, out, ProgressListener.NONE);
        long[] sizes = new long[4];
        int n = 0;
        try (InputStream in = Files.newInputStream(out); DataInputStream data = new DataInputStream(in)) {
            for (float[][] shard : shards) {
                for (float[] row : shard) {
                    int fine = Integer.reverseBytes(data.readInt());
                    int coarse = Integer.reverseBytes(data.readInt());
                    assertEquals(res.clustering().predictFine(row), fine, "fine id of row " + n);
                    assertEquals(res.clustering().coarseOf(fine), coarse, "coarse id of row " + n);
                    sizes[coarse]++;
                    n++;
                }
            }
            assertEquals(-1, in.read(), "no bytes after the last row");
        }
        assertEquals(2400, n);
        assertArrayEquals(sizes, res.sizes());
        assertTrue(res.assignSeconds() >= 0);
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }
}
