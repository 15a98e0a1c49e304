package org.parisjava.infer;

import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;

/**
 * What a sampling run produced: the images, which experts ran at each step, and how often each
 * model was called.
 *
 * @param strategy    the routing strategy's name
 * @param spec        shape of one image (decoded, when the models diffuse in a latent space)
 * @param sampleIds   the id of each image, in order
 * @param pixels      the images (B, C, H, W), flattened, in the model's range (pixels: [-1, 1])
 * @param usage       experts run per step (for the monolith: one "expert", the monolith)
 * @param expertCalls per expert (or the monolith), batched forward calls
 * @param expertRows  per expert (or the monolith), image rows forwarded, counting CFG's doubling
 * @param routerCalls batched router forward calls
 */
public record SamplingResult(String strategy, ImageSpec spec, long[] sampleIds, float[] pixels, ExpertUsage usage,
                             long[] expertCalls, long[] expertRows, long routerCalls) {
    public SamplingResult {
        if (pixels.length != (long) sampleIds.length * spec.numel()) {
            throw new IllegalArgumentException("Pixels hold " + pixels.length + " values, expected "
                    + sampleIds.length + " images of " + spec);
        }
    }

    public int count() {
        return sampleIds.length;
    }

    /** Image i as bytes (values clamped to [-1, 1]). */
    public ImageU8 image(int i) {
        return ImageU8.fromFloat(pixels, i * spec.numel(), spec.channels(), spec.height(), spec.width());
    }

    public List<ImageU8> images() {
        List<ImageU8> out = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            out.add(image(i));
        }
        return out;
    }

    /** Expert forward passes of one image (CFG doubling included), averaged over images. */
    public double expertForwardsPerImage() {
        long rows = 0;
        for (long r : expertRows) {
            rows += r;
        }
        return count() == 0 ? 0 : (double) rows / count();
    }

    /** Concatenates the batches of one run (same strategy, same spec, same K, same steps). */
    public static SamplingResult concat(List<SamplingResult> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Nothing to concatenate");
        }
        SamplingResult first = parts.get(0);
        int n = 0;
        for (SamplingResult p : parts) {
            if (!p.strategy.equals(first.strategy) || !p.spec.equals(first.spec)
                    || p.expertCalls.length != first.expertCalls.length
                    || p.usage.steps().size() != first.usage.steps().size()) {
                throw new IllegalArgumentException("Cannot concatenate sampling results of '" + first.strategy
                        + "' and '" + p.strategy + "': strategy, spec, K or steps differ");
            }
            n += p.count();
        }
        int k = first.expertCalls.length;
        long[] ids = new long[n];
        float[] px = new float[n * first.spec.numel()];
        long[] calls = new long[k];
        long[] rows = new long[k];
        long router = 0;
        int steps = first.usage.steps().size();
        long[][] run = new long[steps][first.usage.experts()];
        double[][] weight = new double[steps][first.usage.experts()];
        long images = 0;
        int at = 0;
        for (SamplingResult p : parts) {
            System.arraycopy(p.sampleIds, 0, ids, at, p.count());
            System.arraycopy(p.pixels, 0, px, at * first.spec.numel(), p.pixels.length);
            at += p.count();
            for (int j = 0; j < k; j++) {
                calls[j] += p.expertCalls[j];
                rows[j] += p.expertRows[j];
            }
            router += p.routerCalls;
            images += p.usage.images();
            for (int s = 0; s < steps; s++) {
                ExpertUsage.Step st = p.usage.steps().get(s);
                for (int j = 0; j < run[s].length; j++) {
                    run[s][j] += st.rowsRun()[j];
                    weight[s][j] += st.weightSum()[j];
                }
            }
        }
        List<ExpertUsage.Step> merged = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            merged.add(new ExpertUsage.Step(s, first.usage.steps().get(s).t(), run[s], weight[s]));
        }
        return new SamplingResult(first.strategy, first.spec, ids, px,
                new ExpertUsage(first.usage.experts(), images, merged), calls, rows, router);
    }
}
