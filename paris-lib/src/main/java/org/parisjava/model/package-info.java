/**
 * The DiT expert of the Paris paper and its parts: {@link org.parisjava.model.DiTConfig} (named size
 * presets, analytic parameter count), {@link org.parisjava.model.DiT} (AdaLN-Single text-to-image DiT
 * predicting the flow-matching velocity), the router, the reusable blocks both build on
 * ({@link org.parisjava.model.MultiHeadAttention}, {@link org.parisjava.model.Mlp},
 * {@link org.parisjava.model.TimestepEmbedder}, {@link org.parisjava.model.PatchEmbed}), and
 * {@link org.parisjava.model.ForwardCost}, the one count of a forward pass's MACs and FLOPs.
 */
package org.parisjava.model;
