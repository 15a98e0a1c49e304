/**
 * Evaluation of the ensemble: sample quality against real images in one feature space
 * ({@link org.parisjava.eval.EvaluationFeatures}: the run's own classifier, Inception for the real FID,
 * or DINOv2) as Frechet distance in a PCA space fitted on the real features, KID, both with bootstrap
 * intervals, and precision/recall ({@link org.parisjava.eval.RealReference},
 * {@link org.parisjava.eval.QualityMetrics}); prompt adherence, read by the classifier or as the CLIP score
 * (arXiv 2104.08718: {@link org.parisjava.eval.ClipScore}, with both CLIP towers in
 * {@link org.parisjava.eval.ClipScorer}); the compute cost of each routing
 * strategy; and {@link org.parisjava.eval.StrategyEvaluation}, the paper's comparison of strategies on
 * the same prompts and seeds with its real-vs-real and shuffled-prompt controls (docs/design.md,
 * section 7). (Router accuracy per timestep bin is measured where the router is trained:
 * {@link org.parisjava.train.RouterAccuracy}; expert usage where the sampler routes:
 * {@link org.parisjava.infer.ExpertUsage}.)
 */
package org.parisjava.eval;
