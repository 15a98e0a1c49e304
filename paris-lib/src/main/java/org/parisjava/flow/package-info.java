/**
 * Flow matching as small separate types: the rectified-flow path and its velocity target
 * ({@link org.parisjava.flow.RectifiedFlowPath}, the one place the t = 0 data / t = 1 noise
 * convention lives), the initial noise of sampling ({@link org.parisjava.flow.InitialNoise}),
 * training timestep samplers, Euler and Heun ODE solvers, and classifier-free guidance with
 * caption dropout (docs/design.md, section 2).
 */
package org.parisjava.flow;
