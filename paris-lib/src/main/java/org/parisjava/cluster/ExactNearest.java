package org.parisjava.cluster;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.parisjava.run.OpenBlas;
import smile.math.blas.BLAS;
import smile.math.blas.Layout;
import smile.math.blas.Transpose;

/**
 * The nearest fine centroid of every row of a batch, always the same index as
 * {@link Clustering#predictFine(float[])} (the first centroid of least squared distance summed in
 * double precision), at the cost of one single-precision GEMM per batch.
 *
 * <p>For a row x and centroid c the GEMM gives {@code |x|^2 - 2 x.c + |c|^2} with the dot product in
 * float: its error is at most {@code gamma_D |x| |c|} for any summation order (plus the rounding of c
 * to float), so a rigorous bound {@code E = (D + 4) 2^-22 |x| |c|} (twice what is needed), plus a
 * double-precision term, is subtracted and added. A centroid whose lower bound exceeds the least upper
 * bound cannot be the nearest; the remaining candidates (almost always one) are compared with the
 * exact double-precision sum of {@code predictFine}, in index order. Rows with non-finite values fall
 * back to {@code predictFine}. Used by {@link StreamingClustering}'s assignment pass. Not thread-safe:
 * one instance reuses its GEMM buffers from batch to batch.
 */
final class ExactNearest {
    private final Clustering clustering;
    private final int k;
    private final int d;
    private final double[][] fine;   // (K, D) the fine centroids
    private final float[] centroids; // (K, D) row-major, float
    private final double[] norm;     // (K) |c|
    private final double[] normSq;   // (K) |c|^2
    /** Scratch for the GEMM (count x D in, count x K out, K x D centroids; direct), grown as batches need. */
    private FloatBuffer packed;
    private FloatBuffer dotBuf;
    private FloatBuffer centroidBuf;
    private float[] dotArray;

    ExactNearest(Clustering clustering) {
        this.clustering = clustering;
        double[][] c = clustering.fineCentroids();
        this.fine = c;
        this.k = c.length;
        this.d = clustering.dimension();
        this.centroids = new float[k * d];
        this.norm = new double[k];
        this.normSq = new double[k];
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                centroids[a * d + j] = (float) c[a][j];
                s += c[a][j] * c[a][j];
            }
            normSq[a] = s;
            norm[a] = Math.sqrt(s);
        }
    }

    /** Writes the nearest fine centroid of {@code rows[0..count)} (each of length D) to {@code out}. */
    void nearest(float[][] rows, int count, int[] out) {
        if (count == 0) {
            return;
        }
        if (packed == null || packed.capacity() < count * d) {
            packed = OpenBlas.floats((long) count * d);
            dotBuf = OpenBlas.floats((long) count * k);
            centroidBuf = OpenBlas.floats((long) k * d).put(0, centroids);
            dotArray = new float[count * k];
        }
        for (int i = 0; i < count; i++) {
            packed.put(i * d, rows[i]);
        }
        // dot = -2 X C^T, (count, K)
        BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, count, k, d, -2f, packed, d,
                centroidBuf, d, 0f, dotBuf, k);
        float[] dot = dotArray;
        dotBuf.get(0, dot, 0, count * k);
        double rel = (d + 4) * 0x1p-22;
        double relDouble = 4 * (d + 4) * 0x1p-53;
        IntStream.range(0, count).parallel().forEach(i -> out[i] = row(rows[i], dot, i * k, rel, relDouble));
    }

    private int row(float[] x, float[] dot, int off, double rel, double relDouble) {
        double xx = 0;
        for (int j = 0; j < d; j++) {
            xx += (double) x[j] * x[j];
        }
        double xn = Math.sqrt(xx);
        double minHi = Double.POSITIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            if (!Float.isFinite(dot[off + a])) {
                return clustering.predictFine(x);
            }
            double e = err(xx, xn, a, rel, relDouble);
            double hi = xx + dot[off + a] + normSq[a] + e;
            if (hi < minHi) {
                minHi = hi;
            }
        }
        if (!Double.isFinite(minHi)) {
            return clustering.predictFine(x);
        }
        int first = -1;
        int candidates = 0;
        for (int a = 0; a < k; a++) {
            double lo = xx + dot[off + a] + normSq[a] - err(xx, xn, a, rel, relDouble);
            if (lo <= minHi) {
                if (first < 0) {
                    first = a;
                }
                candidates++;
            }
        }
        if (candidates == 1) {
            return first;
        }
        if (candidates == 0) {
            return clustering.predictFine(x);
        }
        // the same sum and tie rule as Clustering.predictFine, over the candidates only
        double[][] c = fine;
        int best = first;
        double bestD = Double.POSITIVE_INFINITY;
        for (int a = first; a < k; a++) {
            double lo = xx + dot[off + a] + normSq[a] - err(xx, xn, a, rel, relDouble);
            if (!(lo <= minHi)) {
                continue;
            }
            double[] ca = c[a];
            double s = 0;
            for (int j = 0; j < d && s < bestD; j++) {
                double t = x[j] - ca[j];
                s += t * t;
            }
            if (s < bestD) {
                bestD = s;
                best = a;
            }
        }
        return best;
    }

    private double err(double xx, double xn, int a, double rel, double relDouble) {
        return rel * xn * norm[a] + relDouble * (xx + 2 * xn * norm[a] + normSq[a]);
    }
}
