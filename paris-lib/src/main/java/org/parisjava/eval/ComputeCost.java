package org.parisjava.eval;

import org.parisjava.infer.ExpertUsage;
import org.parisjava.model.ForwardCost;

/**
 * Inference cost per image of one routing strategy, the cost column of DDM's comparison: expert
 * forward passes and GFLOPs. Strategies differ in how many experts run per step (top-1: one,
 * top-2: two, full: K); classifier-free guidance doubles each expert evaluation (conditional and
 * unconditional rows), and the router, which sees no text, runs once per step when the strategy
 * needs it.
 *
 * @param strategy                   the strategy's name
 * @param expertEvaluationsPerImage  expert evaluations of one image, summed over steps (CFG not counted)
 * @param expertForwardsPerImage     the same with CFG's doubling: forward passes of one image through an expert
 * @param routerForwardsPerImage     router forward passes per image
 * @param gflopsPerImage             experts' and router's FLOPs per generated image, in units of 10^9
 */
public record ComputeCost(String strategy, double expertEvaluationsPerImage, double expertForwardsPerImage,
                          double routerForwardsPerImage, double gflopsPerImage) {

    /**
     * Cost measured from a sampling run's usage trace.
     *
     * @param expert    one expert's forward cost (all experts share a config)
     * @param router    the router's forward cost, or null when the strategy ran no router
     * @param guidance  whether classifier-free guidance ran (cond and uncond rows)
     */
    public static ComputeCost of(String strategy, ExpertUsage usage, ForwardCost expert, ForwardCost router,
                                 boolean guidance) {
        double evals = usage.expertEvaluationsPerImage();
        double forwards = guidance ? 2 * evals : evals;
        double routerForwards = router == null ? 0 : usage.steps().size();
        double gflops = forwards * expert.gflops()
                + (router == null ? 0 : routerForwards * router.gflops());
        return new ComputeCost(strategy, evals, forwards, routerForwards, gflops);
    }

    /** Cost predicted without sampling: {@code activeExperts} experts per step (monolith and top-1: 1, full: K). */
    public static ComputeCost predicted(String strategy, double activeExperts, int steps, ForwardCost expert,
                                        ForwardCost router, boolean guidance) {
        double evals = activeExperts * steps;
        double forwards = guidance ? 2 * evals : evals;
        double routerForwards = router == null ? 0 : steps;
        double gflops = forwards * expert.gflops()
                + (router == null ? 0 : routerForwards * router.gflops());
        return new ComputeCost(strategy, evals, forwards, routerForwards, gflops);
    }
}
