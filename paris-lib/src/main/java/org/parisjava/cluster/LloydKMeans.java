package org.parisjava.cluster;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The fine stage's k-means: k-means++ seeding from a seeded generator, then Lloyd iterations,
 * written for speed on many rows and few dimensions (60,000 x 50 -> 64 clusters in a few seconds
 * on two cores). Squared distances use {@code |c|^2 - 2 x.c} with the centroids stored
 * transposed, (D, K), so the inner loop runs over K contiguous floats, which the JIT vectorizes;
 * rows are assigned in parallel, each independently, so the result does not depend on threads.
 *
 * <p>Stops when no label changes or the distortion improves by less than {@code tolerance}
 * (relative). A cluster that empties is re-seeded at the row farthest from its centroid.
 */
final class LloydKMeans {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LloydKMeans.class);
    private static final int CHUNK = 1024;

    private LloydKMeans() {
    }

    /** Returns the (K, D) centroids. */
    static double[][] fit(double[][] rows, int k, int maxIterations, double tolerance, long seed) {
        int n = rows.length;
        int d = rows[0].length;
        float[] x = new float[n * d]; // (N, D) row-major
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) rows[i][j];
            }
        }
        float[] c = seed(x, n, d, k, new Random(seed)); // (K, D)
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        float[] best = new float[n];
        double previous = Double.POSITIVE_INFINITY;
        int it = 0;
        for (; it < maxIterations; it++) {
            boolean changed = assign(x, n, d, c, k, labels, best);
            double distortion = 0;
            for (int i = 0; i < n; i++) {
                distortion += best[i];
            }
            if (!changed || previous - distortion < tolerance * distortion) {
                LOG.debug("fine k-means: N={} K={} converged after {} iterations, distortion {}", n, k, it, distortion);
                break;
            }
            previous = distortion;
            c = means(x, n, d, k, labels, c, best);
        }
        double[][] out = new double[k][d];
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < d; j++) {
                out[a][j] = c[a * d + j];
            }
        }
        return out;
    }

    /** k-means++: each next centre drawn with probability proportional to the squared distance to the nearest one so far. */
    private static float[] seed(float[] x, int n, int d, int k, Random rng) {
        float[] c = new float[k * d];
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        int next = rng.nextInt(n);
        for (int a = 0; a < k; a++) {
            System.arraycopy(x, next * d, c, a * d, d);
            final int ca = a;
            IntStream.range(0, n).parallel().forEach(i -> {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double t = x[i * d + j] - c[ca * d + j];
                    s += t * t;
                }
                d2[i] = Math.min(d2[i], s);
            });
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
    private static boolean assign(float[] x, int n, int d, float[] c, int k, int[] labels, float[] best) {
        float[] ct = new float[d * k]; // (D, K)
        float[] norms = new float[k]; // (K)
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < d; j++) {
                float v = c[a * d + j];
                ct[j * k + a] = v;
                norms[a] += v * v;
            }
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        boolean[] changed = new boolean[chunks];
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            float[] dist = new float[k];
            for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                System.arraycopy(norms, 0, dist, 0, k);
                float xx = 0;
                for (int j = 0; j < d; j++) {
                    float v = x[i * d + j];
                    xx += v * v;
                    float m = -2f * v;
                    int off = j * k;
                    for (int a = 0; a < k; a++) {
                        dist[a] += m * ct[off + a];
                    }
                }
                int arg = 0;
                for (int a = 1; a < k; a++) {
                    if (dist[a] < dist[arg]) {
                        arg = a;
                    }
                }
                best[i] = Math.max(0f, dist[arg] + xx);
                if (labels[i] != arg) {
                    labels[i] = arg;
                    changed[ch] = true;
                }
            }
        });
        for (boolean b : changed) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private static float[] means(float[] x, int n, int d, int k, int[] labels, float[] previous, float[] best) {
        double[] sum = new double[k * d];
        long[] count = new long[k];
        for (int i = 0; i < n; i++) {
            int a = labels[i];
            count[a]++;
            for (int j = 0; j < d; j++) {
                sum[a * d + j] += x[i * d + j];
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
                System.arraycopy(x, worst * d, c, a * d, d);
                best[worst] = 0;
            }
        }
        return c;
    }
}
