/**
 * Evaluation of the ensemble: Frechet distance in a feature space (our own classifier's, or
 * Inception's for the real FID), prompt adherence, router accuracy per timestep bin, expert usage
 * along the sampling trajectory, and the compute cost of each routing strategy.
 */
package org.parisjava.eval;
