package org.parisjava.reproduce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.Shard;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.run.RunLayout;

/**
 * The real samples an evaluation draws on, from the run's shards: the classifier's training
 * images, the evaluation prompts (real captions with their cluster and attributes), the reference
 * images every metric compares with and the held-out real images of the real-vs-real control. Every draw is seeded by the run's seed, so a rerun evaluates the same
 * prompts against the same reference.
 */
final class EvaluationSet {
    /**
     * Real samples held in memory per cluster: every sample at the small presets, at most this many
     * per cluster at paper scale.
     */
    static final int MAX_SAMPLES_PER_CLUSTER = 2500;

    /** Reference images drawn at least, whatever the number of generated images. */
    static final int MIN_REFERENCE_IMAGES = 1000;

    private EvaluationSet() {
    }

    /** The first {@link #MAX_SAMPLES_PER_CLUSTER} samples of each of the run's K shards, cluster by cluster. */
    static List<List<Sample>> shardSamples(RunLayout run, int k) {
        List<List<Sample>> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Shard s = Shard.open(run.shardDir(c));
            int n = Math.min(s.count(), MAX_SAMPLES_PER_CLUSTER);
            List<Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                samples.add(s.sample(i));
            }
            out.add(samples);
        }
        return out;
    }

    /** {@code n} evaluation prompts: real captions drawn (seeded) from every cluster, with their cluster and attributes. */
    static List<StrategyEvaluation.Prompt> prompts(List<List<Sample>> byCluster, int n, long seed) {
        List<int[]> pool = new ArrayList<>();
        for (int c = 0; c < byCluster.size(); c++) {
            for (int i = 0; i < byCluster.get(c).size(); i++) {
                pool.add(new int[] {c, i});
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("The run's shards hold no samples");
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
        for (int i = pool.size() - 1; i > 0; i--) { // Fisher-Yates
            int j = r.nextInt(i + 1);
            int[] t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        List<StrategyEvaluation.Prompt> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] ci = pool.get(i % pool.size());
            Sample s = byCluster.get(ci[0]).get(ci[1]);
            out.add(new StrategyEvaluation.Prompt(s.caption(), ci[0], s.attributes()));
        }
        return out;
    }

    /**
     * The real images of an evaluation, two disjoint sets drawn from the shuffled data: the held-out set
     * of the real-vs-real control (as many images as are generated, at most half the data) and the
     * reference every metric compares with (the rest, up to {@link #referenceCount}).
     *
     * @param heldOut   held-out samples, with their captions and attributes
     * @param reference reference samples
     */
    record Split(List<Sample> heldOut, List<Sample> reference) {
        List<ImageU8> heldOutImages() {
            return heldOut.stream().map(Sample::image).toList();
        }

        List<ImageU8> referenceImages() {
            return reference.stream().map(Sample::image).toList();
        }

        /** The held-out samples as prompts (cluster unknown here: -1). */
        List<StrategyEvaluation.Prompt> heldOutPrompts() {
            return heldOut.stream().map(s -> new StrategyEvaluation.Prompt(s.caption(), -1, s.attributes())).toList();
        }
    }

    /** The seeded split of the run's real samples for {@code evalImages} generated images per strategy. */
    static Split split(List<List<Sample>> byCluster, int evalImages, long seed) {
        List<Sample> all = new ArrayList<>();
        byCluster.forEach(all::addAll);
        Collections.shuffle(all, new Random(seed ^ 0xFEEDL));
        int held = Math.min(evalImages, all.size() / 2);
        int ref = Math.min(referenceCount(evalImages), all.size() - held);
        return new Split(List.copyOf(all.subList(0, held)), List.copyOf(all.subList(held, held + ref)));
    }

    /** How many reference images an evaluation of {@code evalImages} generated images uses. */
    static int referenceCount(int evalImages) {
        return Math.max(2 * evalImages, MIN_REFERENCE_IMAGES);
    }
}
