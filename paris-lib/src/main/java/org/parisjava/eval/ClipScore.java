package org.parisjava.eval;

/**
 * CLIP score (Hessel et al. 2021, "CLIPScore", arXiv 2104.08718): how well images match their
 * captions in CLIP's shared space, {@code 100 * max(cos(image embedding, text embedding), 0)} per
 * image, averaged over the images, with a percentile bootstrap interval over the images. The paper
 * writes the factor as w = 2.5; 100 is the scale text-to-image work reports (torchmetrics' CLIPScore),
 * used here. Higher is better; real images against their own captions set the ceiling a generator can
 * be compared with, the same images against other captions the floor.
 *
 * @param score  the mean over the images with its 95% bootstrap interval
 * @param images images scored
 */
public record ClipScore(BootstrapInterval score, int images) {
    /** The factor in front of the clipped cosine. */
    public static final double SCALE = 100;

    /**
     * Per-pair scores.
     *
     * @param image image embeddings (N, P)
     * @param text  text embeddings (N, P) of the captions the images are scored against, row by row
     * @return N values in [0, 100]
     * @throws IllegalArgumentException if the counts or widths differ
     */
    public static double[] perPair(float[][] image, float[][] text) {
        if (image.length != text.length) {
            throw new IllegalArgumentException(image.length + " image embeddings but " + text.length + " captions");
        }
        double[] out = new double[image.length];
        for (int i = 0; i < image.length; i++) {
            if (image[i].length != text[i].length) {
                throw new IllegalArgumentException("Image embedding " + i + " has " + image[i].length
                        + " values, its text embedding " + text[i].length);
            }
            double dot = 0;
            double ni = 0;
            double nt = 0;
            for (int j = 0; j < image[i].length; j++) {
                dot += (double) image[i][j] * text[i][j];
                ni += (double) image[i][j] * image[i][j];
                nt += (double) text[i][j] * text[i][j];
            }
            double cos = dot / Math.max(Math.sqrt(ni) * Math.sqrt(nt), 1e-8); // torch's cosine_similarity eps
            out[i] = SCALE * Math.max(cos, 0);
        }
        return out;
    }

    /** The mean of per-image scores with its bootstrap interval (images resampled with replacement, seeded). */
    public static ClipScore of(double[] perImage, long seed) {
        if (perImage.length == 0) {
            throw new IllegalArgumentException("No image to score");
        }
        BootstrapInterval b = BootstrapInterval.ofIndices(perImage.length, 1, (rows, unused) -> {
            double s = 0;
            for (int i : rows) {
                s += perImage[i];
            }
            return s / rows.length;
        }, BootstrapInterval.DEFAULT_RESAMPLES, BootstrapInterval.DEFAULT_LEVEL, seed);
        return new ClipScore(b, perImage.length);
    }
}
