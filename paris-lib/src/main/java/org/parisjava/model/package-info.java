/**
 * The DiT expert of the Paris paper and its parts: {@link org.parisjava.model.DiTConfig} (named size
 * presets, analytic parameter count), {@link org.parisjava.model.DiT} (AdaLN-Single text-to-image DiT
 * predicting the flow-matching velocity), and the reusable blocks the router also builds on
 * ({@link org.parisjava.model.MultiHeadAttention}, {@link org.parisjava.model.Mlp},
 * {@link org.parisjava.model.TimestepEmbedder}, {@link org.parisjava.model.PatchEmbed}).
 */
package org.parisjava.model;
