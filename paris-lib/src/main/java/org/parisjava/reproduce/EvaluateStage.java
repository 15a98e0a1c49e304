package org.parisjava.reproduce;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Sample;
import org.parisjava.data.Shard;
import org.parisjava.eval.ClipScorer;
import org.parisjava.eval.EvaluationFeatures;
import org.parisjava.eval.FeatureClassifier;
import org.parisjava.eval.RealReference;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.io.Json;
import org.parisjava.latent.LatentCodec;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterTrainer;

/**
 * Stage 6: every inference strategy on the same prompts and seeds, then the controls (held-out real
 * images, and shuffled prompts); with a CLIP model ({@code Options.clip()}) every set of images also gets its
 * CLIP score against its prompts. Reads {@code shards/} (prompts and real images), {@code experts/},
 * {@code monolith/}, {@code router/} and, when the dataset has attributes, {@code eval/classifier/};
 * writes {@code eval/results.json} (with results.csv and results.md beside it), the first images of each
 * strategy under {@code eval/samples/}, and the real images' features under {@code eval/reference/}
 * (computed once per feature space, reused on a rerun). With {@code --router both} the routed strategies
 * are evaluated again with the text-aware router of {@code router-text/}, on the same prompts, seeds and
 * reference, into {@code eval/text-aware-router/results.json}.
 */
final class EvaluateStage implements PipelineStage {
    static final String RESULTS_JSON = "results.json";

    /** Images per sampling batch, at most. */
    static final int MAX_BATCH = 64;

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.EVALUATE;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        List<Path> in = new ArrayList<>(StageFiles.shards(run, o));
        in.addAll(StageFiles.experts(run, o));
        in.addAll(List.of(run.monolithDir(), run.routerDir()));
        if (o.comparesRouters()) {
            in.add(run.textAwareRouterDir());
        }
        if (EvaluationChoice.needsClassifier(run, o)) {
            in.add(ClassifierStage.dir(run));
        }
        return in;
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        List<Path> out = new ArrayList<>(List.of(run.evalDir().resolve(RESULTS_JSON),
                run.evalDir().resolve(SampleShards.SAMPLES_DIR)));
        if (o.comparesRouters()) {
            out.add(run.textAwareEvalDir().resolve(RESULTS_JSON));
        }
        return out;
    }

    /**
     * Every strategy must fit the run's K experts (a top-9 of 4 experts would be the full mixture under
     * another name), and something must be able to measure the dataset: the classifier, or a feature model
     * that exists.
     */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
        int k = o.preset().coarseClusters();
        for (RoutingStrategy s : o.strategies()) {
            int asked = s instanceof RoutingStrategy.TopK t ? t.k() : s instanceof RoutingStrategy.SampleK r ? r.k() : 0;
            if (asked > k) {
                throw new IllegalArgumentException("Strategy " + s.name() + " routes to " + asked + " experts, but this"
                        + " run has K = " + k + " (the mixture of all of them is 'full')");
            }
        }
        if (isDone(run, o)) {
            return;
        }
        String spec = EvaluationChoice.qualitySpec(o, EvaluationChoice.attributes(run, o));
        EvaluationChoice.checkExists(spec);
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return Files.isRegularFile(run.evalDir().resolve(RESULTS_JSON))
                && (!o.comparesRouters() || Files.isRegularFile(run.textAwareEvalDir().resolve(RESULTS_JSON)));
    }

    /** Evaluates what is missing: everything, or (a text-blind run gaining --router both) the text-aware part. */
    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        evaluate(run, o, listener, false);
    }

    /** A re-evaluation ({@code paris evaluate}): every part again, whatever exists. */
    @Override
    public void redo(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        evaluate(run, o, listener, true);
    }

    private static void evaluate(RunLayout run, Reproduction.Options o, ProgressListener listener, boolean all) {
        int k = o.preset().coarseClusters();
        List<List<Sample>> byCluster = EvaluationSet.shardSamples(run, k);
        List<StrategyEvaluation.Prompt> prompts = EvaluationSet.prompts(byCluster, o.evalImages(), o.seed());
        List<String> attributes = Shard.open(run.shardDir(0)).attributeNames();
        boolean classifier = EvaluationChoice.hasClassifier(attributes);
        String spec = EvaluationChoice.qualitySpec(o, attributes);
        try (NDManager m = ComputeDevice.newManager();
             FeatureClassifier fc = classifier ? FeatureClassifier.load(ClassifierStage.dir(run)) : null;
             EvaluationChoice.Opened model = spec.equals(EvaluationChoice.CLASSIFIER) ? null
                     : EvaluationChoice.openModel(spec);
             LatentCodec codec = ClusterStage.openCodec(o);
             ClipScorer clip = EvaluationChoice.openClip(o.clip())) {
            EvaluationFeatures features = model != null ? model.features() : EvaluationChoice.classifierFeatures(fc);
            EvaluationSet.Split split = EvaluationSet.split(byCluster, o.evalImages(), o.seed());
            ReferenceFeatures real = ReferenceFeatures.loadOrCompute(run, features, split, o.seed());
            int dims = Math.min(RealReference.fdDimensions(o.evalImages(), real.reference()[0].length),
                    real.reference().length - 1);
            RealReference reference = RealReference.fit(real.reference(), Math.max(1, dims));
            Ensemble ensemble = Ensemble.load(run, k, m);
            ImageSpec spec0 = Shard.open(run.shardDir(0)).trainingSpec(); // latents (decoded by the codec) or pixels
            int batch = Math.min(MAX_BATCH, o.evalImages());
            if (all || !Files.isRegularFile(run.evalDir().resolve(RESULTS_JSON))) {
                StrategyEvaluation.Held held = split.heldOut().size() > 3
                        ? new StrategyEvaluation.Held(split.heldOutImages(), split.heldOutPrompts(),
                        real.heldOut()) : null;
                StrategyEvaluation.Measures measures = new StrategyEvaluation.Measures(features, reference, fc, held,
                        shuffledControlStrategy(o.strategies()), o.seed(), clip);
                evaluate(run, o, ensemble, spec0, codec, prompts, o.strategies(), measures, batch, listener,
                        run.evalDir(), true);
            }
            if (o.comparesRouters() && (all || !Files.isRegularFile(run.textAwareEvalDir().resolve(RESULTS_JSON)))) {
                // the same prompts, seeds and reference; only the router differs, and only routed strategies use it
                List<RoutingStrategy> routed = o.strategies().stream().filter(RoutingStrategy::needsRouter).toList();
                Ensemble textAware = ensemble.withRouter(RouterTrainer.load(run.textAwareRouterDir(), m));
                StrategyEvaluation.Measures measures = new StrategyEvaluation.Measures(features, reference, fc, null,
                        null, o.seed(), clip);
                evaluate(run, o, textAware, spec0, codec, prompts, routed, measures, batch, listener,
                        run.textAwareEvalDir(), false);
            }
        }
    }

    private static void evaluate(RunLayout run, Reproduction.Options o, Ensemble ensemble, ImageSpec spec,
                                 LatentCodec codec, List<StrategyEvaluation.Prompt> prompts,
                                 List<RoutingStrategy> strategies, StrategyEvaluation.Measures measures, int batch,
                                 ProgressListener listener, Path outDir, boolean writeSamples) {
        Preset p = o.preset();
        EnsembleSampler sampler = new EnsembleSampler(ensemble,
                new SamplerConfig(spec, p.samplingSteps(), p.cfgScale(), o.seed()), codec);
        ForwardCost expertCost = ForwardCost.of(ensemble.expertConfig());
        ForwardCost routerCost = ensemble.routerConfig() == null ? ForwardCost.NONE
                : ForwardCost.of(ensemble.routerConfig());
        try (TextEncoder encoder = FlowTrainer.textEncoder(o.text(), ensemble.expertConfig())) {
            StrategyEvaluation.Report report = StrategyEvaluation.run(sampler, encoder, prompts, strategies,
                    measures, expertCost, routerCost, batch, listener,
                    writeSamples ? s -> SampleShards.write(run, s, prompts, Figures.SAMPLE_COLUMNS) : null);
            Files.createDirectories(outDir);
            report.write(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + outDir, e);
        }
    }

    /**
     * The strategy the shuffled-prompt control samples with: the monolith when compared (it does not
     * route, so only the prompts differ), else the first strategy.
     */
    static RoutingStrategy shuffledControlStrategy(List<RoutingStrategy> strategies) {
        return strategies.stream().filter(s -> s.name().equals("monolith")).findFirst().orElse(strategies.get(0));
    }

    /**
     * The routed strategies evaluated with the text-aware router ({@code --router both}), or null when
     * the run has none.
     */
    static StrategyEvaluation.Report readTextAwareReport(RunLayout run) {
        Path f = run.textAwareEvalDir().resolve(RESULTS_JSON);
        return Files.isRegularFile(f) ? Json.read(f, StrategyEvaluation.Report.class) : null;
    }

    /** The evaluation report this stage wrote. */
    static StrategyEvaluation.Report readReport(RunLayout run) {
        Path f = run.evalDir().resolve(RESULTS_JSON);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("No evaluation results at " + f + "; the evaluate stage has not finished");
        }
        return Json.read(f, StrategyEvaluation.Report.class);
    }
}
