/**
 * Frozen pretrained vision networks read from Hugging Face folders, as plain inference code over
 * DJL arrays: the layers they share ({@link org.parisjava.vision.Conv2dLayer},
 * {@link org.parisjava.vision.LinearLayer}, {@link org.parisjava.vision.GroupNormLayer},
 * {@link org.parisjava.vision.LayerNormLayer}), the weight source that either loads a folder's
 * tensors or only counts them ({@link org.parisjava.vision.WeightSource}), the DINOv2 vision
 * transformer (Oquab et al., arXiv 2304.07193) in transformers' {@code Dinov2Model} layout, and CLIP's
 * vision tower with its projection (Radford et al., arXiv 2103.00020;
 * {@link org.parisjava.vision.ClipVisionModel}) and image preprocessing
 * ({@link org.parisjava.vision.ClipImageProcessor}, resizing exactly as Pillow does:
 * {@link org.parisjava.vision.PilBicubicResize}).
 *
 * <p>Nothing here trains: weights are constants, no autograd graph is built, and every block
 * closes its temporaries as soon as they are dead so that a forward pass holds only a few
 * activations at a time.
 */
package org.parisjava.vision;
