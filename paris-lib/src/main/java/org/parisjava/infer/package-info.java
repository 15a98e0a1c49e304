/**
 * Sampling from a set of isolated experts: routing strategies as values
 * ({@link org.parisjava.infer.RoutingStrategy#topK(int)}, full, oracle, ...) and the ensemble sampler
 * that mixes the experts' classifier-free-guided velocities with the router's weights
 * (DESIGN.md sections 1 and 3).
 */
package org.parisjava.infer;
