package org.parisjava.cluster;

import java.util.Random;

/** Synthetic Gaussian blobs for clustering tests: blob b centred at {@code spacing * b} on every axis. */
final class Blobs {
    final double[][] x;
    final int[] truth;

    Blobs(int[] sizes, int dim, double spacing, double sigma, long seed) {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        x = new double[n][dim];
        truth = new int[n];
        Random r = new Random(seed);
        int i = 0;
        for (int b = 0; b < sizes.length; b++) {
            for (int s = 0; s < sizes[b]; s++, i++) {
                truth[i] = b;
                for (int j = 0; j < dim; j++) {
                    double centre = spacing * b * (j % 2 == 0 ? 1 : -1);
                    x[i][j] = centre + sigma * r.nextGaussian();
                }
            }
        }
    }
}
