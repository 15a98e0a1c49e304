package org.parisjava.cluster;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.parisjava.io.Json;

/**
 * The result of {@link TwoStageKMeans}: F fine centroids, the coarse cluster of each, and the K
 * coarse centroids (the size-weighted means of their fine centroids). Immutable; arrays are
 * copied in and out.
 *
 * <p>Assignment follows Paris: a sample goes to its nearest fine centroid (squared Euclidean
 * distance; ties to the lower index) and takes that fine cluster's coarse cluster. The coarse
 * centroids are kept for the record and for routing, not for assignment.
 *
 * @param dimension       D, the feature length
 * @param fineCentroids   (F, D)
 * @param fineToCoarse    (F) coarse cluster of each fine cluster, in [0, K)
 * @param coarseCentroids (K, D)
 * @param fineSizes       (F) training samples nearest to each fine centroid
 * @param coarseSizes     (K) training samples in each coarse cluster
 * @param options         the options it was fitted with (seed included)
 */
public record Clustering(int dimension, double[][] fineCentroids, int[] fineToCoarse, double[][] coarseCentroids,
                         long[] fineSizes, long[] coarseSizes, ClusteringOptions options) {

    /** The format tag {@link #save} writes; {@link #load} refuses other files. */
    static final String FORMAT = "paris-two-stage-kmeans/1";

    public Clustering {
        Objects.requireNonNull(options, "options");
        int f = fineCentroids.length;
        int k = coarseCentroids.length;
        if (f == 0 || k == 0) {
            throw new IllegalArgumentException("A clustering needs at least one fine and one coarse centroid");
        }
        if (fineToCoarse.length != f || fineSizes.length != f) {
            throw new IllegalArgumentException("Fine arrays disagree: " + f + " centroids, " + fineToCoarse.length
                    + " coarse labels, " + fineSizes.length + " sizes");
        }
        if (coarseSizes.length != k) {
            throw new IllegalArgumentException("Coarse arrays disagree: " + k + " centroids, " + coarseSizes.length + " sizes");
        }
        fineCentroids = deepCopy(fineCentroids, dimension, "fine");
        coarseCentroids = deepCopy(coarseCentroids, dimension, "coarse");
        for (int i = 0; i < f; i++) {
            if (fineToCoarse[i] < 0 || fineToCoarse[i] >= k) {
                throw new IllegalArgumentException("Fine cluster " + i + " maps to coarse cluster " + fineToCoarse[i]
                        + ", outside [0, " + k + ")");
            }
        }
        fineToCoarse = fineToCoarse.clone();
        fineSizes = fineSizes.clone();
        coarseSizes = coarseSizes.clone();
    }

    private static double[][] deepCopy(double[][] a, int d, String what) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != d) {
                throw new IllegalArgumentException("The " + what + " centroid " + i + " has "
                        + (a[i] == null ? 0 : a[i].length) + " values, expected D = " + d);
            }
            c[i] = a[i].clone();
        }
        return c;
    }

    public int k() {
        return coarseCentroids.length;
    }

    public int fineCount() {
        return fineCentroids.length;
    }

    /**
     * The nearest fine centroid of every row of {@code rows} (N, D): one GEMM per block of rows
     * (single precision, so a near-tie may resolve differently from {@link #predictFine(float[])}).
     *
     * @return (N) fine cluster indices
     * @throws IllegalArgumentException if a row's length is not {@link #dimension()}
     */
    public int[] predictFineAll(float[][] rows) {
        for (float[] x : rows) {
            checkDim(x.length);
        }
        return rows.length == 0 ? new int[0] : LloydKMeans.nearest(rows, fineCentroids);
    }

    /** The nearest fine centroid of {@code x}. */
    public int predictFine(float[] x) {
        checkDim(x.length);
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < fineCentroids.length; i++) {
            double[] c = fineCentroids[i];
            double s = 0;
            for (int j = 0; j < c.length && s < bestD; j++) {
                double t = x[j] - c[j];
                s += t * t;
            }
            if (s < bestD) {
                bestD = s;
                best = i;
            }
        }
        return best;
    }

    public int predictFine(double[] x) {
        checkDim(x.length);
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < fineCentroids.length; i++) {
            double[] c = fineCentroids[i];
            double s = 0;
            for (int j = 0; j < c.length && s < bestD; j++) {
                double t = x[j] - c[j];
                s += t * t;
            }
            if (s < bestD) {
                bestD = s;
                best = i;
            }
        }
        return best;
    }

    /** The coarse cluster of {@code x}: that of its nearest fine centroid. */
    public int predict(float[] x) {
        return fineToCoarse[predictFine(x)];
    }

    public int predict(double[] x) {
        return fineToCoarse[predictFine(x)];
    }

    public int coarseOf(int fine) {
        return fineToCoarse[fine];
    }

    /** Largest coarse cluster size over the smallest (infinite when one is empty). */
    public double sizeRatio() {
        long max = Arrays.stream(coarseSizes).max().orElse(0);
        long min = Arrays.stream(coarseSizes).min().orElse(0);
        return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
    }

    private void checkDim(int d) {
        if (d != dimension) {
            throw new IllegalArgumentException("Feature vector has " + d + " values, the clustering expects D = " + dimension);
        }
    }

    /** Writes the clustering as JSON (atomically: readers never see half a file). */
    public void save(Path file) {
        Json.write(file, new Stored(FORMAT, this));
    }

    public static Clustering load(Path file) {
        Stored s = Json.read(file, Stored.class);
        if (!FORMAT.equals(s.format()) || s.clustering() == null) {
            throw new IllegalArgumentException("Not a clustering file (format '" + s.format() + "', expected '" + FORMAT
                    + "'): " + file);
        }
        return s.clustering(); // Gson builds records through the canonical constructor: validated
    }

    private record Stored(String format, Clustering clustering) {
    }

    @Override
    public double[][] fineCentroids() {
        return deepCopy(fineCentroids, dimension, "fine");
    }

    @Override
    public double[][] coarseCentroids() {
        return deepCopy(coarseCentroids, dimension, "coarse");
    }

    @Override
    public int[] fineToCoarse() {
        return fineToCoarse.clone();
    }

    @Override
    public long[] fineSizes() {
        return fineSizes.clone();
    }

    @Override
    public long[] coarseSizes() {
        return coarseSizes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Clustering c && dimension == c.dimension && options.equals(c.options)
                && Arrays.deepEquals(fineCentroids, c.fineCentroids) && Arrays.equals(fineToCoarse, c.fineToCoarse)
                && Arrays.deepEquals(coarseCentroids, c.coarseCentroids) && Arrays.equals(fineSizes, c.fineSizes)
                && Arrays.equals(coarseSizes, c.coarseSizes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dimension, options, Arrays.deepHashCode(fineCentroids), Arrays.hashCode(fineToCoarse));
    }

    @Override
    public String toString() {
        return "Clustering[D=" + dimension + ", fine=" + fineCentroids.length + ", K=" + coarseCentroids.length
                + ", sizes=" + Arrays.toString(coarseSizes) + ", seed=" + options.seed() + "]";
    }
}
