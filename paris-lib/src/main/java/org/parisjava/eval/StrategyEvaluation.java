package org.parisjava.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.parisjava.data.ImageU8;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.ExpertUsage;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplingResult;
import org.parisjava.io.AtomicFiles;
import org.parisjava.io.Json;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.TextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's comparison as one call: for each routing strategy, sample one image per evaluation
 * prompt (same prompts, same seeds), then measure the Frechet distance to the real data in the
 * classifier's feature space, prompt adherence, expert usage and cost per image.
 */
public final class StrategyEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(StrategyEvaluation.class);

    private StrategyEvaluation() {
    }

    /**
     * One evaluation prompt, taken from a real sample.
     *
     * @param caption     the caption to generate from
     * @param trueCluster the cluster of the sample it came from (for the oracle)
     * @param attributes  the sample's attributes (for prompt adherence)
     */
    public record Prompt(String caption, int trueCluster, Map<String, String> attributes) {
        public Prompt {
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * One row of the comparison.
     *
     * @param strategy        the strategy's name
     * @param frechetDistance FD-feat against the real reference statistics
     * @param adherence       prompt adherence of the generated images
     * @param cost            expert forward passes and GFLOPs per image
     * @param usage           experts run per sampling step
     * @param seconds         wall-clock sampling time
     */
    public record StrategyResult(String strategy, double frechetDistance, PromptAdherence adherence,
                                 ComputeCost cost, ExpertUsage usage, double seconds) {
    }

    /** All rows, with what they were measured against. */
    public record Report(int images, long seed, int steps, double guidanceScale, List<StrategyResult> results) {
        public Report {
            results = List.copyOf(results);
        }

        public StrategyResult get(String strategy) {
            return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("No result for strategy '" + strategy + "'"));
        }

        /** strategy,fd_feat,adherence,expert_forwards_per_image,gflops_per_image,seconds */
        public String toCsv() {
            StringBuilder b = new StringBuilder("strategy,fd_feat,adherence,expert_forwards_per_image,gflops_per_image,"
                    + "seconds\n");
            for (StrategyResult r : results) {
                b.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.2f,%.4f,%.1f%n", r.strategy(), r.frechetDistance(),
                        r.adherence().mean(), r.cost().expertForwardsPerImage(), r.cost().gflopsPerImage(),
                        r.seconds()));
            }
            return b.toString();
        }

        public String toMarkdown() {
            StringBuilder b = new StringBuilder("| strategy | FD-feat | adherence | expert passes / image | GFLOPs / image |\n"
                    + "|---|---|---|---|---|\n");
            for (StrategyResult r : results) {
                b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.1f | %.3f |%n", r.strategy(),
                        r.frechetDistance(), r.adherence().mean(), r.cost().expertForwardsPerImage(),
                        r.cost().gflopsPerImage()));
            }
            return b.toString();
        }

        /** Writes results.json, results.csv and results.md into {@code dir}, atomically. */
        public void write(Path dir) {
            Json.write(dir.resolve("results.json"), this);
            AtomicFiles.writeString(dir.resolve("results.csv"), toCsv());
            AtomicFiles.writeString(dir.resolve("results.md"), toMarkdown());
        }
    }

    /**
     * Runs every strategy on the same prompts.
     *
     * @param reference   statistics of the classifier's features on real images
     * @param expertCost  one expert's (and the monolith's) forward cost
     * @param routerCost  the router's forward cost, or null
     * @param onSamples   receives each strategy's images (for grids and files); may be null
     */
    public static Report run(EnsembleSampler sampler, TextEncoder encoder, List<Prompt> prompts,
                             List<RoutingStrategy> strategies, FeatureClassifier classifier, GaussianStats reference,
                             ForwardCost expertCost, ForwardCost routerCost, int batchSize,
                             ProgressListener progress, Consumer<SamplingResult> onSamples) {
        List<String> captions = new ArrayList<>();
        int[] truth = new int[prompts.size()];
        List<Map<String, String>> attributes = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            captions.add(prompts.get(i).caption());
            truth[i] = prompts.get(i).trueCluster();
            attributes.add(prompts.get(i).attributes());
        }
        List<StrategyResult> rows = new ArrayList<>();
        for (RoutingStrategy s : strategies) {
            long t0 = System.nanoTime();
            SamplingResult samples = sampler.sample(encoder, captions, truth, s, batchSize, progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<ImageU8> images = samples.images();
            double fd = FrechetDistance.between(reference, GaussianStats.of(classifier.features(images)));
            PromptAdherence adherence = PromptAdherence.of(classifier, images, attributes);
            ComputeCost cost = ComputeCost.of(s.name(), samples.usage(), expertCost,
                    s.needsRouter() ? routerCost : null, sampler.config().guided());
            rows.add(new StrategyResult(s.name(), fd, adherence, cost, samples.usage(), seconds));
            LOG.info("{}: FD-feat {} adherence {} expert passes/image {} ({} s)", s.name(),
                    String.format(Locale.ROOT, "%.3f", fd), String.format(Locale.ROOT, "%.3f", adherence.mean()),
                    String.format(Locale.ROOT, "%.1f", cost.expertForwardsPerImage()),
                    String.format(Locale.ROOT, "%.1f", seconds));
            if (onSamples != null) {
                onSamples.accept(samples);
            }
        }
        return new Report(prompts.size(), sampler.config().seed(), sampler.config().steps(),
                sampler.config().guidanceScale(), rows);
    }
}
