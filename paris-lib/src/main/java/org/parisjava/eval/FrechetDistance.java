package org.parisjava.eval;

import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

/**
 * The Frechet distance between two Gaussians fitted to feature sets, the quantity behind FID:
 *
 * <pre>
 *   d = |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2)
 * </pre>
 *
 * <p>pytorch-fid takes {@code sqrtm(S1 S2)}, a square root of a non-symmetric matrix; its trace is the
 * same as that of the symmetric form above, which we compute with two symmetric eigendecompositions
 * (LAPACK through Smile) in double precision. Negative eigenvalues that rounding leaves on singular
 * covariances are clamped to 0, so the distance of a set with itself is 0 up to rounding.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** Frechet distance between two feature sets (N1, D) and (N2, D). */
    public static double between(float[][] a, float[][] b) {
        return between(GaussianStats.of(a), GaussianStats.of(b));
    }

    public static double between(GaussianStats a, GaussianStats b) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("Feature dimensions differ: " + a.dim() + " vs " + b.dim());
        }
        int d = a.dim();
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
        }
        Matrix s1 = Matrix.of(a.cov());
        Matrix s2 = Matrix.of(b.cov());
        Matrix root1 = symmetricSqrt(s1); // (D, D)
        Matrix middle = root1.mm(s2).mm(root1); // (D, D), symmetric PSD
        symmetrize(middle);
        double traceSqrt = 0;
        for (double lambda : eigenvalues(middle)) {
            traceSqrt += Math.sqrt(Math.max(lambda, 0.0));
        }
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += a.cov()[j][j] + b.cov()[j][j];
        }
        return meanTerm + trace - 2 * traceSqrt;
    }

    /** S^1/2 = V diag(sqrt(max(lambda, 0))) V^T for a symmetric S. */
    static Matrix symmetricSqrt(Matrix s) {
        Matrix sym = s.clone();
        symmetrize(sym);
        Matrix.EVD evd = sym.uplo(UPLO.LOWER).eigen(false, true, true);
        int d = s.nrow();
        Matrix v = evd.Vr;
        Matrix scaled = new Matrix(d, d);
        for (int j = 0; j < d; j++) {
            double root = Math.sqrt(Math.max(evd.wr[j], 0.0));
            for (int i = 0; i < d; i++) {
                scaled.set(i, j, v.get(i, j) * root);
            }
        }
        return scaled.mm(v.transpose()); // (D, D)
    }

    private static double[] eigenvalues(Matrix s) {
        Matrix sym = s.clone();
        return sym.uplo(UPLO.LOWER).eigen(false, false, true).wr;
    }

    private static void symmetrize(Matrix m) {
        int d = m.nrow();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double avg = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, avg);
                m.set(j, i, avg);
            }
        }
    }
}
