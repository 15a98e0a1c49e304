/**
 * Evaluation of the ensemble: Frechet distance in a feature space (our own classifier's, or
 * Inception's for the real FID), prompt adherence, the compute cost of each routing strategy, and
 * {@link org.parisjava.eval.StrategyEvaluation}, the paper's comparison of strategies on the same
 * prompts and seeds. (Router accuracy per timestep bin is measured where the router is trained:
 * {@link org.parisjava.train.RouterAccuracy}; expert usage where the sampler routes:
 * {@link org.parisjava.infer.ExpertUsage}.)
 */
package org.parisjava.eval;
