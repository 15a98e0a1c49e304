/**
 * Evaluation of the ensemble: Frechet distance in a feature space (our own classifier's, or
 * Inception's for the real FID), prompt adherence, router accuracy per timestep bin, the compute
 * cost of each routing strategy, and {@link org.parisjava.eval.StrategyEvaluation}, the paper's
 * comparison of strategies on the same prompts and seeds.
 */
package org.parisjava.eval;
