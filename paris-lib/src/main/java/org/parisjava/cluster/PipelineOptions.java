package org.parisjava.cluster;

import org.parisjava.run.Preset;

/**
 * Settings of {@link ClusteringPipeline} beyond the k-means itself.
 *
 * @param clustering     the two-stage k-means settings (its seed is replaced by the run's seed)
 * @param features       {@code pca} (PCA of pixels), {@code model:PATH} (a TorchScript .pt or ONNX
 *                       .onnx model through DJL) or {@code hf:PATH} (a transformers DINOv2 folder, run in Java)
 * @param pcaComponents  PCA dimensions (for {@code pca})
 * @param pcaSample      images the PCA is fitted on: the first this many of the stream
 * @param fitSample      images the k-means is fitted on, 0 = all. When smaller than the dataset,
 *                       a seeded reservoir sample is fitted and features are computed again in the
 *                       assignment pass instead of being held (the paper-scale mode)
 * @param modelInputSize side of the square model input (for {@code model:PATH} and {@code hf:PATH}; DINOv2: 224)
 * @param imagenetNorm   normalize model input with ImageNet mean/std (as DINOv2 expects); else [-1, 1]
 * @param batchSize      images per feature batch
 * @param gridImages     sample images shown per cluster in its grid
 */
public record PipelineOptions(ClusteringOptions clustering, String features, int pcaComponents, int pcaSample,
                              int fitSample, int modelInputSize, boolean imagenetNorm, int batchSize, int gridImages) {

    public PipelineOptions {
        if (clustering == null) {
            throw new IllegalArgumentException("Clustering options must be set");
        }
        if (features == null || !(features.equals("pca") || features.startsWith("model:") && features.length() > 6
                || features.startsWith("hf:") && features.length() > 3)) {
            throw new IllegalArgumentException("Unknown feature extractor '" + features
                    + "' (expected pca, model:PATH or hf:PATH)");
        }
        if (pcaComponents < 1) {
            throw new IllegalArgumentException("Invalid number of PCA components: " + pcaComponents);
        }
        if (pcaSample < 2) {
            throw new IllegalArgumentException("Invalid PCA sample size: " + pcaSample + " (at least 2)");
        }
        if (fitSample < 0) {
            throw new IllegalArgumentException("Invalid fit sample size: " + fitSample + " (0 = all)");
        }
        if (modelInputSize < 1 || batchSize < 1 || gridImages < 1) {
            throw new IllegalArgumentException("Invalid model input size " + modelInputSize + ", batch size "
                    + batchSize + " or grid size " + gridImages);
        }
    }

    /**
     * The preset's fine/coarse clusters and PCA size; PCA fitted on up to 10,000 images. Presets that
     * use the whole of a web-scale dataset (trainImages 0) fit the k-means on a 200,000-row sample
     * (DDM fitted on about 5% of its data) and stream the rest: all features of 11M images would not
     * fit in memory.
     */
    public static PipelineOptions of(Preset p, long seed) {
        int pca = p.pcaComponents() > 0 ? p.pcaComponents() : 50;
        int fitSample = p.trainImages() == 0 ? 200_000 : 0;
        return new PipelineOptions(ClusteringOptions.of(p.fineClusters(), p.coarseClusters(), seed), "pca", pca,
                10_000, fitSample, 224, true, 256, 32);
    }

    public PipelineOptions withClustering(ClusteringOptions c) {
        return new PipelineOptions(c, features, pcaComponents, pcaSample, fitSample, modelInputSize, imagenetNorm,
                batchSize, gridImages);
    }

    public PipelineOptions withFeatures(String f) {
        return new PipelineOptions(clustering, f, pcaComponents, pcaSample, fitSample, modelInputSize, imagenetNorm,
                batchSize, gridImages);
    }

    public PipelineOptions withFitSample(int n) {
        return new PipelineOptions(clustering, features, pcaComponents, pcaSample, n, modelInputSize, imagenetNorm,
                batchSize, gridImages);
    }

    public PipelineOptions withPcaComponents(int n) {
        return new PipelineOptions(clustering, features, n, pcaSample, fitSample, modelInputSize, imagenetNorm,
                batchSize, gridImages);
    }

    public PipelineOptions withModelInput(int size, boolean imagenet) {
        return new PipelineOptions(clustering, features, pcaComponents, pcaSample, fitSample, size, imagenet,
                batchSize, gridImages);
    }
}
