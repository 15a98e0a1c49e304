/**
 * Sampling from a set of isolated experts: routing strategies as values
 * ({@link org.parisjava.infer.RoutingStrategy#topK(int)}, full, oracle, ...), the guided velocity of
 * one expert ({@link org.parisjava.infer.GuidedVelocity}), the single-model and ensemble samplers that
 * mix the experts' guided velocities with the router's weights, and the record of which experts ran
 * at each step ({@link org.parisjava.infer.ExpertUsage}) (docs/design.md, sections 1 and 2).
 */
package org.parisjava.infer;
