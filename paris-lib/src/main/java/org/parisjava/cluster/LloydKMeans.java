package org.parisjava.cluster;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.parisjava.run.OpenBlas;
import smile.math.blas.BLAS;
import smile.math.blas.Layout;
import smile.math.blas.Transpose;

/**
 * The fine stage's k-means: k-means++ seeding from a seeded generator, then Lloyd iterations,
 * written for many rows and few clusters (60,000 x 50 -> 64 clusters in well under a second on
 * two cores). Squared distances are {@code |x|^2 - 2 x.c + |c|^2}: the cross term is one
 * single-precision GEMM per block of rows and iteration (OpenBLAS through Smile's binding, on direct
 * buffers it reads in place: {@link OpenBlas}), the row norms are computed once, and only the arg-min
 * runs in Java. The rows are held in blocks of {@link #BLOCK} rows, so a million rows never need one
 * buffer of more than 2 GiB.
 *
 * <p>Stops when no label changes or the distortion improves by less than {@code tolerance}
 * (relative). A cluster that empties is re-seeded at the row farthest from its centroid. The
 * result does not depend on the number of threads (each row's arg-min is independent; the GEMM's
 * blocking is OpenBLAS's and fixed for a given machine).
 */
final class LloydKMeans {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LloydKMeans.class);
    /** Rows per GEMM block. */
    static final int BLOCK = 16384;

    /** The (K, D) centroids and every row's nearest one among them (N). */
    record Fit(double[][] centroids, int[] labels) {
    }

    private LloydKMeans() {
    }

    /** Returns the (K, D) centroids. */
    static double[][] fit(double[][] rows, int k, int maxIterations, double tolerance, long seed) {
        float[][] f = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            f[i] = new float[rows[i].length];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = (float) rows[i][j];
            }
        }
        return fit(f, k, maxIterations, tolerance, seed).centroids();
    }

    /** Fits on {@code rows} (N, D), all of length D (the caller checks). */
    static Fit fit(float[][] rows, int k, int maxIterations, double tolerance, long seed) {
        int n = rows.length;
        int d = rows[0].length;
        FloatBuffer[] blocks = blocks(rows, d, k);
        Scratch scratch = new Scratch(n, d, k);
        float[] xx = new float[n]; // (N) squared row norms
        IntStream.range(0, n).parallel().forEach(i -> {
            float s = 0;
            for (float v : rows[i]) {
                s += v * v;
            }
            xx[i] = s;
        });
        float[] c = seed(rows, blocks, xx, n, d, k, new Random(seed)); // (K, D)
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        float[] best = new float[n];
        double previous = Double.POSITIVE_INFINITY;
        boolean current = false; // labels are those of c
        for (int it = 0; it < maxIterations; it++) {
            boolean changed = assign(blocks, xx, n, d, c, k, labels, best, scratch);
            current = true;
            double distortion = 0;
            for (int i = 0; i < n; i++) {
                distortion += best[i];
            }
            if (!changed || previous - distortion < tolerance * distortion) {
                LOG.debug("fine k-means: N={} K={} converged after {} iterations, distortion {}", n, k, it, distortion);
                break;
            }
            previous = distortion;
            c = means(rows, n, d, k, labels, best);
            current = false;
        }
        if (!current) {
            assign(blocks, xx, n, d, c, k, labels, best, scratch);
        }
        double[][] out = new double[k][d];
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < d; j++) {
                out[a][j] = c[a * d + j];
            }
        }
        return new Fit(out, labels);
    }

    /**
     * Nearest of {@code centroids} (K, D) for every row of {@code rows} (N, D), by the same GEMM
     * as the fit (ties to the lower index).
     */
    static int[] nearest(float[][] rows, double[][] centroids) {
        int n = rows.length;
        int k = centroids.length;
        int d = centroids[0].length;
        float[] c = new float[k * d];
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < d; j++) {
                c[a * d + j] = (float) centroids[a][j];
            }
        }
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        float[] xx = new float[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            float s = 0;
            for (float v : rows[i]) {
                s += v * v;
            }
            xx[i] = s;
        });
        assign(blocks(rows, d, k), xx, n, d, c, k, labels, new float[n], new Scratch(n, d, k));
        return labels;
    }

    /**
     * The rows copied into row-major direct buffers of {@link #blockRows(int, int)} rows (the last one
     * shorter), which OpenBLAS reads in place.
     */
    private static FloatBuffer[] blocks(float[][] rows, int d, int k) {
        int n = rows.length;
        int per = blockRows(d, k);
        int count = (n + per - 1) / per;
        FloatBuffer[] blocks = new FloatBuffer[count];
        IntStream.range(0, count).parallel().forEach(b -> {
            int lo = b * per;
            int hi = Math.min(n, lo + per);
            FloatBuffer x = OpenBlas.floats((long) (hi - lo) * d);
            for (int i = lo; i < hi; i++) {
                x.put((i - lo) * d, rows[i]);
            }
            blocks[b] = x;
        });
        return blocks;
    }

    /**
     * Rows per block: {@link #BLOCK}, fewer when D (a block of rows) or K (a block of distances) is so
     * large that a buffer would pass 2 GiB.
     */
    static int blockRows(int d, int k) {
        return OpenBlas.rowsPerBuffer(Math.max(d, k), BLOCK);
    }

    /** The direct buffers of {@link #assign}, made once per fit and reused by every Lloyd iteration. */
    private static final class Scratch {
        final FloatBuffer centroids; // (K, D)
        final FloatBuffer dist;      // (rows, K)
        final float[] distArray;     // (rows, K)

        Scratch(int n, int d, int k) {
            int rows = Math.min(n, blockRows(d, k));
            this.centroids = OpenBlas.floats((long) k * d);
            this.dist = OpenBlas.floats((long) rows * k);
            this.distArray = new float[rows * k];
        }
    }

    /**
     * k-means++: each next centre drawn with probability proportional to the squared distance to
     * the nearest one so far; the distances to each new centre are one GEMV per block.
     */
    private static float[] seed(float[][] x, FloatBuffer[] blocks, float[] xx, int n, int d, int k, Random rng) {
        float[] c = new float[k * d];
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        int per = blockRows(d, k);
        float[] dot = new float[Math.min(n, per)];
        FloatBuffer centreBuf = OpenBlas.floats(d);
        FloatBuffer dotBuf = OpenBlas.floats(dot.length);
        int next = rng.nextInt(n);
        for (int a = 0; a < k; a++) {
            System.arraycopy(x[next], 0, c, a * d, d);
            float[] centre = x[next];
            float cc = 0;
            for (float v : centre) {
                cc += v * v;
            }
            centreBuf.put(0, centre);
            for (int b = 0; b < blocks.length; b++) {
                int lo = b * per;
                int rows = blocks[b].capacity() / d;
                BLAS.engine.gemv(Layout.ROW_MAJOR, Transpose.NO_TRANSPOSE, rows, d, -2f, blocks[b], d, centreBuf, 1, 0f,
                        dotBuf, 1);
                dotBuf.get(0, dot, 0, rows);
                for (int r = 0; r < rows; r++) {
                    d2[lo + r] = Math.min(d2[lo + r], Math.max(0f, xx[lo + r] + dot[r] + cc));
                }
            }
            double total = 0;
            for (double v : d2) {
                total += v;
            }
            double u = rng.nextDouble() * total;
            next = n - 1;
            for (int i = 0; i < n; i++) {
                u -= d2[i];
                if (u <= 0) {
                    next = i;
                    break;
                }
            }
        }
        return c;
    }

    /** Nearest centroid of every row; {@code best[i]} gets its squared distance. True when a label changed. */
    private static boolean assign(FloatBuffer[] blocks, float[] xx, int n, int d, float[] c, int k, int[] labels,
                                  float[] best, Scratch sc) {
        float[] cc = new float[k]; // (K)
        for (int a = 0; a < k; a++) {
            float s = 0;
            for (int j = 0; j < d; j++) {
                s += c[a * d + j] * c[a * d + j];
            }
            cc[a] = s;
        }
        FloatBuffer cBuf = sc.centroids.put(0, c);
        int per = blockRows(d, k);
        FloatBuffer distBuf = sc.dist;
        float[] dist = sc.distArray;
        boolean changed = false;
        for (int b = 0; b < blocks.length; b++) {
            int lo = b * per;
            int rows = blocks[b].capacity() / d;
            // dist = -2 X C^T, (rows, K)
            BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, rows, k, d, -2f, blocks[b], d,
                    cBuf, d, 0f, distBuf, k);
            distBuf.get(0, dist, 0, rows * k);
            final float[] dd = dist;
            boolean blockChanged = IntStream.range(0, rows).parallel().map(r -> {
                int off = r * k;
                int arg = 0;
                float min = dd[off] + cc[0];
                for (int a = 1; a < k; a++) {
                    float v = dd[off + a] + cc[a];
                    if (v < min) {
                        min = v;
                        arg = a;
                    }
                }
                int i = lo + r;
                best[i] = Math.max(0f, min + xx[i]);
                if (labels[i] != arg) {
                    labels[i] = arg;
                    return 1;
                }
                return 0;
            }).sum() > 0;
            changed |= blockChanged;
        }
        return changed;
    }

    /** Means of each label's rows: per-block partial sums in parallel, added in block order (thread-independent). */
    private static float[] means(float[][] x, int n, int d, int k, int[] labels, float[] best) {
        int parts = (n + BLOCK - 1) / BLOCK;
        double[][] partial = new double[parts][];
        long[][] partialCount = new long[parts][];
        IntStream.range(0, parts).parallel().forEach(p -> {
            double[] acc = new double[k * d];
            long[] cnt = new long[k];
            for (int i = p * BLOCK; i < Math.min(n, (p + 1) * BLOCK); i++) {
                int a = labels[i];
                cnt[a]++;
                float[] row = x[i];
                int off = a * d;
                for (int j = 0; j < d; j++) {
                    acc[off + j] += row[j];
                }
            }
            partial[p] = acc;
            partialCount[p] = cnt;
        });
        double[] sum = partial[0];
        long[] count = partialCount[0];
        for (int p = 1; p < parts; p++) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += partial[p][j];
            }
            for (int a = 0; a < k; a++) {
                count[a] += partialCount[p][a];
            }
        }
        float[] c = new float[k * d];
        for (int a = 0; a < k; a++) {
            if (count[a] > 0) {
                for (int j = 0; j < d; j++) {
                    c[a * d + j] = (float) (sum[a * d + j] / count[a]);
                }
            } else {
                // re-seed an emptied cluster at the worst-served row, and keep that row from serving twice
                int worst = 0;
                for (int i = 1; i < n; i++) {
                    if (best[i] > best[worst]) {
                        worst = i;
                    }
                }
                System.arraycopy(x[worst], 0, c, a * d, d);
                best[worst] = 0;
            }
        }
        return c;
    }
}
