/**
 * Feature extractors for clustering: images in, one vector per image out, batch by batch so that a
 * dataset of any size streams through. {@link org.parisjava.features.PcaFeatures} (PCA of pixels,
 * the default, no weights needed) and {@link org.parisjava.features.DjlModelFeatures} (any
 * TorchScript or ONNX model through DJL; DINOv2 as in the paper on a real host).
 */
package org.parisjava.features;
