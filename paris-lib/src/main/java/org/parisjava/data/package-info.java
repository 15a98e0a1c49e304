/**
 * Image-caption datasets (generated shapes, Fashion-MNIST, image folders, WebDataset shards) and
 * the per-cluster shard files that isolate each expert's data.
 */
package org.parisjava.data;
