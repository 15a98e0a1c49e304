package org.parisjava.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
 * prompt (same prompts, same seeds), then measure quality against the real data in one feature space
 * ({@link QualityMetrics}: Frechet distance in a PCA space small enough for the sample size, KID, both
 * with bootstrap 95% intervals, precision and recall), prompt adherence (when a classifier can read
 * the prompts' attributes), the CLIP score of each image against its prompt (when a CLIP model is given,
 * {@link ClipScore}, arXiv 2104.08718), expert usage and cost per image.
 *
 * <p>Two controls tell how far the metrics can be trusted (docs/design.md, section 7): held-out real
 * images measured as if generated (KID about zero, its interval reaching 0; the FD it gets is the floor
 * of sampling noise), and one strategy sampled again with the prompts permuted against their
 * attributes (adherence must fall well below the matched prompts'). With a CLIP model, the held-out real
 * images are scored against their own captions and the shuffled samples against the captions they were
 * not generated from.
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
     * @param frechetDistance FD against the real reference in its PCA space ({@code quality.fd().estimate()})
     * @param adherence       prompt adherence of the generated images, or null when not measured
     * @param cost            expert forward passes and GFLOPs per image
     * @param usage           experts run per sampling step
     * @param seconds         wall-clock sampling time
     * @param quality         every quality metric with its interval (null in results written before they existed)
     * @param clipScore       CLIP score of the images against their prompts (arXiv 2104.08718), or null when no CLIP
     *                        model was given
     */
    public record StrategyResult(String strategy, double frechetDistance, PromptAdherence adherence,
                                 ComputeCost cost, ExpertUsage usage, double seconds, QualityMetrics quality,
                                 ClipScore clipScore) {
        /** A row without a CLIP score. */
        public StrategyResult(String strategy, double frechetDistance, PromptAdherence adherence, ComputeCost cost,
                              ExpertUsage usage, double seconds, QualityMetrics quality) {
            this(strategy, frechetDistance, adherence, cost, usage, seconds, quality, null);
        }
    }

    /**
     * A control: images whose place in the ranking is known in advance.
     *
     * @param name        {@code real (held-out)} or {@code shuffled prompts (STRATEGY)}
     * @param description what the images are and what they should score
     * @param quality     their quality metrics
     * @param adherence   their prompt adherence, or null when not measured
     * @param clipScore   their CLIP score against the prompts they are scored against, or null when not measured
     */
    public record Control(String name, String description, QualityMetrics quality, PromptAdherence adherence,
                          ClipScore clipScore) {
        /** A control without a CLIP score. */
        public Control(String name, String description, QualityMetrics quality, PromptAdherence adherence) {
            this(name, description, quality, adherence, null);
        }
    }

    /**
     * All rows, with what they were measured against.
     *
     * @param featureSpace    the feature space of every quality metric ({@link EvaluationFeatures#name()})
     * @param adherenceMethod how prompt adherence was scored, or null when it was not measured
     * @param controls        the controls (empty in results written before they existed)
     * @param clipModel       the CLIP model of the CLIP scores ({@link ClipScorer#name()}), or null when none was given
     */
    public record Report(int images, long seed, int steps, double guidanceScale, List<StrategyResult> results,
                         String featureSpace, String adherenceMethod, List<Control> controls, String clipModel) {
        public Report {
            results = List.copyOf(results);
            controls = controls == null ? List.of() : List.copyOf(controls);
        }

        /** A report without CLIP scores. */
        public Report(int images, long seed, int steps, double guidanceScale, List<StrategyResult> results,
                      String featureSpace, String adherenceMethod, List<Control> controls) {
            this(images, seed, steps, guidanceScale, results, featureSpace, adherenceMethod, controls, null);
        }

        /** Whether the rows carry a CLIP score. */
        public boolean clipMeasured() {
            return clipModel != null;
        }

        public StrategyResult get(String strategy) {
            return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("No result for strategy '" + strategy + "'"));
        }

        /** The control named {@code name}. */
        public Control control(String name) {
            return controls.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("No control '" + name + "'"));
        }

        /** Whether prompt adherence was measured. */
        public boolean adherenceMeasured() {
            return adherenceMethod != null;
        }

        /**
         * strategy,fd,fd_low,fd_high,fd_dims,fd_full,kid,kid_low,kid_high,precision,recall,adherence,
         * expert_forwards_per_image,gflops_per_image,seconds: one row per strategy (the controls are in
         * {@link #controlsCsv()}). An unmeasured value is an empty cell.
         */
        public String toCsv() {
            StringBuilder b = new StringBuilder("strategy,fd,fd_low,fd_high,fd_dims,fd_full,kid,kid_low,kid_high,"
                    + "precision,recall,adherence," + (clipMeasured() ? CLIP_CSV + "," : "")
                    + "expert_forwards_per_image,gflops_per_image,seconds\n");
            for (StrategyResult r : results) {
                b.append(r.strategy()).append(',').append(qualityCsv(r.quality(), r.frechetDistance())).append(',')
                        .append(num(r.adherence() == null ? Double.NaN : r.adherence().mean(), 4)).append(',')
                        .append(clipMeasured() ? clipCsv(r.clipScore()) + "," : "")
                        .append(num(r.cost().expertForwardsPerImage(), 2)).append(',')
                        .append(num(r.cost().gflopsPerImage(), 4)).append(',').append(num(r.seconds(), 1)).append('\n');
            }
            return b.toString();
        }

        /** control,fd,fd_low,fd_high,fd_dims,fd_full,kid,kid_low,kid_high,precision,recall,adherence. */
        public String controlsCsv() {
            StringBuilder b = new StringBuilder("control,fd,fd_low,fd_high,fd_dims,fd_full,kid,kid_low,kid_high,"
                    + "precision,recall,adherence" + (clipMeasured() ? "," + CLIP_CSV : "") + "\n");
            for (Control c : controls) {
                b.append(c.name()).append(',').append(qualityCsv(c.quality(), c.quality().fd().estimate())).append(',')
                        .append(num(c.adherence() == null ? Double.NaN : c.adherence().mean(), 4))
                        .append(clipMeasured() ? "," + clipCsv(c.clipScore()) : "").append('\n');
            }
            return b.toString();
        }

        public String toMarkdown() {
            StringBuilder b = new StringBuilder();
            b.append("| strategy | FD (PCA) [95%] | KID x 1000 [95%] | precision | recall | adherence | "
                    + (clipMeasured() ? "CLIP score [95%] | " : "")
                    + "expert passes / image | GFLOPs / image |\n|---|---|---|---|---|---|---|---|"
                    + (clipMeasured() ? "---|" : "") + "\n");
            for (StrategyResult r : results) {
                b.append("| ").append(r.strategy()).append(" | ").append(qualityMd(r.quality(), r.frechetDistance()))
                        .append(" | ").append(adherenceMd(r.adherence())).append(" | ")
                        .append(clipMeasured() ? clipMd(r.clipScore()) + " | " : "")
                        .append(num(r.cost().expertForwardsPerImage(), 1)).append(" | ")
                        .append(num(r.cost().gflopsPerImage(), 3)).append(" |\n");
            }
            for (Control c : controls) {
                b.append("| *control: ").append(c.name()).append("* | ")
                        .append(qualityMd(c.quality(), c.quality().fd().estimate())).append(" | ")
                        .append(adherenceMd(c.adherence())).append(" |")
                        .append(clipMeasured() ? " " + clipMd(c.clipScore()) + " |" : "").append(" | |\n");
            }
            b.append('\n').append("Quality in ").append(featureSpace == null ? "the evaluation feature space" : featureSpace);
            QualityMetrics any = results.isEmpty() ? null : results.get(0).quality();
            if (any != null) {
                b.append(String.format(Locale.ROOT, "; FD on the first %d principal components of the real features;"
                        + " %d images per row", any.fdDimensions(), any.images()));
            }
            b.append(". Prompt adherence: ").append(adherenceMethod != null ? adherenceMethod
                    : clipMeasured() ? "the CLIP score column (no classifier for this dataset's attributes)"
                    : "not measured (no classifier for this dataset's attributes and no CLIP model given)").append(".");
            if (clipMeasured()) {
                b.append(' ').append(clipSentence(clipModel)).append('.');
            }
            b.append('\n');
            return b.toString();
        }

        /** Writes results.json, results.csv, controls.csv and results.md into {@code dir}, atomically. */
        public void write(Path dir) {
            Json.write(dir.resolve("results.json"), this);
            AtomicFiles.writeString(dir.resolve("results.csv"), toCsv());
            AtomicFiles.writeString(dir.resolve("controls.csv"), controlsCsv());
            AtomicFiles.writeString(dir.resolve("results.md"), toMarkdown());
        }
    }

    private static String qualityCsv(QualityMetrics q, double fd) {
        if (q == null) {
            return num(fd, 4) + ",,,,,,,,,";
        }
        return String.join(",", num(q.fd().estimate(), 4), num(q.fd().lower(), 4), num(q.fd().upper(), 4),
                Integer.toString(q.fdDimensions()), num(q.fdFull(), 4), num(q.kid().estimate(), 6),
                num(q.kid().lower(), 6), num(q.kid().upper(), 6), num(q.precision(), 4), num(q.recall(), 4));
    }

    private static String qualityMd(QualityMetrics q, double fd) {
        if (q == null) {
            return num(fd, 3) + " | | | ";
        }
        return q.fd().format(3) + " | " + new BootstrapInterval(1000 * q.kid().estimate(), 1000 * q.kid().lower(),
                1000 * q.kid().upper(), q.kid().level(), q.kid().resamples()).format(2) + " | "
                + num(q.precision(), 3) + " | " + num(q.recall(), 3);
    }

    /** The CSV columns of a CLIP score. */
    static final String CLIP_CSV = "clip_score,clip_low,clip_high";

    private static String clipCsv(ClipScore c) {
        return c == null ? ",," : String.join(",", num(c.score().estimate(), 4), num(c.score().lower(), 4),
                num(c.score().upper(), 4));
    }

    private static String clipMd(ClipScore c) {
        return c == null ? "" : c.score().format(2);
    }

    /** How the CLIP scores were measured, for the tables. */
    public static String clipSentence(String clipModel) {
        return "CLIP score: 100 max(cos(image, caption), 0) in the shared space of " + clipModel
                + ", mean over the images (Hessel et al. 2021, arXiv 2104.08718), 95% bootstrap interval";
    }

    private static String adherenceMd(PromptAdherence a) {
        return a == null ? "not measured" : num(a.mean(), 3);
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * What every row is measured with.
     *
     * @param features  the feature space of the quality metrics
     * @param reference the real images' features in that space
     * @param adherence the classifier that reads the prompts' attributes back, or null: adherence not measured
     * @param heldOut   held-out real images for the real-vs-real control (with their attributes as prompts), or
     *                  null for no such control; disjoint from the reference
     * @param shuffled  the strategy sampled again with permuted prompts for the shuffled-prompt control, or null
     * @param seed      seed of the bootstrap resamples and of the permutation
     * @param clip      the CLIP model scoring every image against its prompt (CLIP score), or null: not measured
     */
    public record Measures(EvaluationFeatures features, RealReference reference, FeatureClassifier adherence,
                           Held heldOut, RoutingStrategy shuffled, long seed, ClipScorer clip) {
        /** Measures without a CLIP score. */
        public Measures(EvaluationFeatures features, RealReference reference, FeatureClassifier adherence,
                        Held heldOut, RoutingStrategy shuffled, long seed) {
            this(features, reference, adherence, heldOut, shuffled, seed, null);
        }
    }

    /**
     * Held-out real images and the prompts (captions, attributes) they came with.
     *
     * @param features their features in the evaluation space when already computed (a cache), else null
     */
    public record Held(List<ImageU8> images, List<Prompt> prompts, float[][] features) {
        public Held {
            if (images.size() != prompts.size()) {
                throw new IllegalArgumentException(images.size() + " held-out images but " + prompts.size() + " prompts");
            }
            images = List.copyOf(images);
            prompts = List.copyOf(prompts);
        }
    }

    /** The name of the real-vs-real control. */
    public static final String REAL_CONTROL = "real (held-out)";

    /** The name of the shuffled-prompt control sampled with {@code strategy}. */
    public static String shuffledControl(String strategy) {
        return "shuffled prompts (" + strategy + ")";
    }

    /**
     * Runs every strategy on the same prompts, then the controls.
     *
     * @param measures    feature space, real reference, adherence classifier and controls
     * @param expertCost  one expert's (and the monolith's) forward cost
     * @param routerCost  the router's forward cost, or null
     * @param onSamples   receives each strategy's images (for grids and files); may be null
     */
    public static Report run(EnsembleSampler sampler, TextEncoder encoder, List<Prompt> prompts,
                             List<RoutingStrategy> strategies, Measures measures, ForwardCost expertCost,
                             ForwardCost routerCost, int batchSize, ProgressListener progress,
                             Consumer<SamplingResult> onSamples) {
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
            QualityMetrics q = measures.reference().measure(measures.features().features(images), measures.seed());
            PromptAdherence adherence = measures.adherence() == null ? null
                    : PromptAdherence.of(measures.adherence(), images, attributes);
            ClipScore clip = measures.clip() == null ? null : measures.clip().score(images, captions, measures.seed());
            ComputeCost cost = ComputeCost.of(s.name(), samples.usage(), expertCost,
                    s.needsRouter() ? routerCost : null, sampler.config().guided());
            rows.add(new StrategyResult(s.name(), q.fd().estimate(), adherence, cost, samples.usage(), seconds, q,
                    clip));
            if (clip != null) {
                LOG.info("{}: CLIP score {}", s.name(), clip.score().format(2));
            }
            LOG.info("{}: FD {} KID {} precision {} recall {} adherence {} expert passes/image {} ({} s)", s.name(),
                    q.fd().format(3), q.kid().format(5), fmt(q.precision()), fmt(q.recall()),
                    adherence == null ? "not measured" : fmt(adherence.mean()), fmt(cost.expertForwardsPerImage()),
                    fmt(seconds));
            if (onSamples != null) {
                onSamples.accept(samples);
            }
        }
        List<Control> controls = new ArrayList<>();
        if (measures.heldOut() != null) {
            Held h = measures.heldOut();
            float[][] f = h.features() != null ? h.features() : measures.features().features(h.images());
            QualityMetrics q = measures.reference().measure(f, measures.seed());
            PromptAdherence a = measures.adherence() == null ? null : PromptAdherence.of(measures.adherence(),
                    h.images(), h.prompts().stream().map(Prompt::attributes).toList());
            ClipScore clip = measures.clip() == null ? null : measures.clip().score(h.images(),
                    h.prompts().stream().map(Prompt::caption).toList(), measures.seed());
            controls.add(new Control(REAL_CONTROL, "real images held out of the reference, measured as if generated:"
                    + " KID about 0; their FD is the floor set by sampling noise; their adherence the classifier's"
                    + " ceiling" + (clip == null ? "" : "; their CLIP score, against their own captions, the ceiling"
                    + " for matched image-caption pairs"), q, a, clip));
            if (clip != null) {
                LOG.info("control {}: CLIP score {}", REAL_CONTROL, clip.score().format(2));
            }
            LOG.info("control {}: FD {} KID {}", REAL_CONTROL, q.fd().format(3), q.kid().format(5));
        }
        if (measures.shuffled() != null) {
            RoutingStrategy s = measures.shuffled();
            int[] perm = derangement(prompts.size(), measures.seed());
            List<String> shuffledCaptions = new ArrayList<>();
            int[] shuffledTruth = new int[prompts.size()];
            for (int i = 0; i < prompts.size(); i++) {
                shuffledCaptions.add(captions.get(perm[i]));
                shuffledTruth[i] = truth[perm[i]];
            }
            SamplingResult samples = sampler.sample(encoder, shuffledCaptions, shuffledTruth, s, batchSize, progress);
            List<ImageU8> images = samples.images();
            QualityMetrics q = measures.reference().measure(measures.features().features(images), measures.seed());
            PromptAdherence a = measures.adherence() == null ? null
                    : PromptAdherence.of(measures.adherence(), images, attributes); // scored against the original prompts
            ClipScore clip = measures.clip() == null ? null : measures.clip().score(images, captions, measures.seed());
            controls.add(new Control(shuffledControl(s.name()), s.name() + " sampled from the same prompts permuted"
                    + " against their attributes, scored against the original ones: adherence well below the matched"
                    + " row's, quality about the same" + (clip == null ? "" : "; their CLIP score, against the captions"
                    + " they were not made from, below the matched row's"), q, a, clip));
            if (clip != null) {
                LOG.info("control {}: CLIP score {}", shuffledControl(s.name()), clip.score().format(2));
            }
            LOG.info("control {}: adherence {}", shuffledControl(s.name()), a == null ? "not measured" : fmt(a.mean()));
        }
        String adherenceMethod = measures.adherence() == null ? null
                : "attributes read back by the evaluation classifier (heads " + measures.adherence().config().heads()
                .keySet() + ")";
        return new Report(prompts.size(), sampler.config().seed(), sampler.config().steps(),
                sampler.config().guidanceScale(), rows, measures.features().name(), adherenceMethod, controls,
                measures.clip() == null ? null : measures.clip().name());
    }

    /** A seeded permutation of {@code [0, n)} that moves every index (Sattolo's algorithm), n >= 2. */
    static int[] derangement(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5A77L);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i); // j < i: a single cycle, no fixed point
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
