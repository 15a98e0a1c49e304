package org.parisjava.eval;

/**
 * Sample quality of one set of images against the run's real reference, in one feature space
 * ({@link RealReference}): the numbers the results table and the verdict read.
 *
 * @param fd           Frechet distance in the reference's PCA space ({@code fdDimensions} components fitted on
 *                     the real features), with its 95% percentile bootstrap interval
 * @param fdDimensions dimension of that PCA space, chosen well below the number of generated images
 * @param fdFull       Frechet distance in the full feature space (biased upwards when images are fewer than
 *                     about ten times the dimension; kept for comparison with earlier runs)
 * @param kid          unbiased KID (arXiv 1801.01401) in the full feature space, with its bootstrap interval
 * @param precision    improved precision, k = 3 (arXiv 1904.06991): generated images inside the real manifold
 * @param recall       improved recall, k = 3: real images inside the generated manifold
 * @param images       generated (or held-out real) images measured
 */
public record QualityMetrics(BootstrapInterval fd, int fdDimensions, double fdFull, BootstrapInterval kid,
                             double precision, double recall, int images) {
}
