/**
 * Image-caption datasets (generated shapes, Fashion-MNIST, image folders, WebDataset shards) and
 * the per-cluster shard files that isolate each expert's data.
 *
 * <p>User data is read the way people make it: images as viewers show them (CMYK/YCCK JPEGs,
 * EXIF orientation; see {@code ImageDecoder}), captions as editors save them ({@code CaptionText}),
 * WebDataset shards checked against WebDataset's layout ({@code ShardLayout}); anything that cannot
 * be read, or is over the {@link org.parisjava.data.InputLimits}, is refused by file and sample and
 * handled by the {@link org.parisjava.data.ErrorPolicy}.
 */
package org.parisjava.data;
