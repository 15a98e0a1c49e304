package org.parisjava.eval;

/**
 * Improved precision and recall of a generated feature set against a real one (Kynkaanniemi,
 * Karras, Laine, Lehtinen and Aila 2019, arXiv 1904.06991): each set's manifold is the union of
 * balls around its rows with radius the distance to the row's k-th nearest neighbour in the same
 * set (k = 3 in the paper).
 *
 * <ul>
 *   <li>precision: the fraction of generated rows inside the real manifold (fidelity: are the
 *       images like real ones?);</li>
 *   <li>recall: the fraction of real rows inside the generated manifold (diversity: is the real
 *       variety covered?).</li>
 * </ul>
 *
 * Rows are (N, D) features; distances are Euclidean, computed in double precision.
 *
 * @param precision in [0, 1]
 * @param recall    in [0, 1]
 * @param k         the neighbourhood size used
 */
public record PrecisionRecall(double precision, double recall, int k) {
    /** The paper's neighbourhood size. */
    public static final int DEFAULT_K = 3;

    /** Precision and recall with the paper's k = 3. */
    public static PrecisionRecall of(float[][] real, float[][] generated) {
        return of(real, generated, DEFAULT_K);
    }

    /**
     * @throws IllegalArgumentException when a set has no more than k rows, or dimensions differ
     */
    public static PrecisionRecall of(float[][] real, float[][] generated, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Invalid neighbourhood size k: " + k);
        }
        if (real.length <= k || generated.length <= k) {
            throw new IllegalArgumentException("Precision/recall with k = " + k + " needs more than k rows per set, got "
                    + real.length + " real and " + generated.length + " generated");
        }
        if (real[0].length != generated[0].length) {
            throw new IllegalArgumentException("Feature dimensions differ: " + real[0].length + " vs " + generated[0].length);
        }
        double[] realRadius = kthNeighbourDistances(real, k);
        double[] genRadius = kthNeighbourDistances(generated, k);
        return new PrecisionRecall(coverage(generated, real, realRadius), coverage(real, generated, genRadius), k);
    }

    /** Fraction of {@code queries} within radius of at least one row of {@code manifold}. */
    private static double coverage(float[][] queries, float[][] manifold, double[] radius2) {
        int inside = 0;
        for (float[] q : queries) {
            for (int i = 0; i < manifold.length; i++) {
                if (squaredDistance(q, manifold[i]) <= radius2[i]) {
                    inside++;
                    break;
                }
            }
        }
        return inside / (double) queries.length;
    }

    /** Squared distance of each row to its k-th nearest other row of the same set. */
    static double[] kthNeighbourDistances(float[][] x, int k) {
        int n = x.length;
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = squaredDistance(x[i], x[j]);
                d2[i][j] = v;
                d2[j][i] = v;
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] row = d2[i].clone();
            row[i] = Double.POSITIVE_INFINITY; // not its own neighbour
            java.util.Arrays.sort(row);
            out[i] = row[k - 1];
        }
        return out;
    }

    static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = (double) a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
