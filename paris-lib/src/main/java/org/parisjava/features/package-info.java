/**
 * Feature extractors for clustering: images in, one vector per image out, batch by batch so that a
 * dataset of any size streams through. {@link org.parisjava.features.PcaFeatures} (PCA of pixels,
 * the default, no weights needed), {@link org.parisjava.features.HfDinov2Features} (DINOv2 from a
 * transformers folder such as facebook/dinov2-large, run in Java: the paper's features) and
 * {@link org.parisjava.features.DjlModelFeatures} (any TorchScript or ONNX model through DJL).
 */
package org.parisjava.features;
