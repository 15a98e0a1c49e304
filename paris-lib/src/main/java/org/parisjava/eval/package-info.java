/**
 * Evaluation of the ensemble: Frechet distance in a feature space (our own classifier's, or
 * Inception's for the real FID), prompt adherence, expert usage
 * along the sampling trajectory, and the compute cost of each routing strategy. (Router accuracy
 * per timestep bin is measured where the router is trained: {@link org.parisjava.train.RouterAccuracy}.)
 */
package org.parisjava.eval;
