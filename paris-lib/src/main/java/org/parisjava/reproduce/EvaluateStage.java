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
import org.parisjava.eval.FeatureClassifier;
import org.parisjava.eval.GaussianStats;
import org.parisjava.eval.StrategyEvaluation;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.io.Json;
import org.parisjava.model.ForwardCost;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.FlowTrainer;

/**
 * Stage 6: every inference strategy on the same prompts and seeds. Reads {@code shards/} (prompts and
 * reference images), {@code experts/}, {@code monolith/}, {@code router/} and {@code eval/classifier/};
 * writes {@code eval/results.json} (with results.csv and results.md beside it) and the first images of
 * each strategy under {@code eval/samples/}.
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
        in.addAll(List.of(run.monolithDir(), run.routerDir(), ClassifierStage.dir(run)));
        return in;
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return List.of(run.evalDir().resolve(RESULTS_JSON), run.evalDir().resolve(SampleShards.SAMPLES_DIR));
    }

    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return Files.isRegularFile(run.evalDir().resolve(RESULTS_JSON));
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        int k = o.preset().coarseClusters();
        List<List<Sample>> byCluster = EvaluationSet.shardSamples(run, k);
        List<StrategyEvaluation.Prompt> prompts = EvaluationSet.prompts(byCluster, o.evalImages(), o.seed());
        try (NDManager m = ComputeDevice.newManager();
             FeatureClassifier fc = FeatureClassifier.load(ClassifierStage.dir(run))) {
            Ensemble ensemble = Ensemble.load(run, k, m);
            ImageSpec spec = Shard.open(run.shardDir(0)).spec();
            Preset p = o.preset();
            EnsembleSampler sampler = new EnsembleSampler(ensemble,
                    new SamplerConfig(spec, p.samplingSteps(), p.cfgScale(), o.seed()));
            GaussianStats reference = GaussianStats.of(fc.features(
                    EvaluationSet.referenceImages(byCluster, EvaluationSet.referenceCount(o.evalImages()), o.seed())));
            ForwardCost expertCost = ForwardCost.of(ensemble.expertConfig());
            ForwardCost routerCost = ensemble.routerConfig() == null ? ForwardCost.NONE
                    : ForwardCost.of(ensemble.routerConfig());
            int batch = Math.min(MAX_BATCH, o.evalImages());
            try (TextEncoder encoder = FlowTrainer.textEncoder(ensemble.expertConfig())) {
                StrategyEvaluation.Report report = StrategyEvaluation.run(sampler, encoder, prompts, o.strategies(), fc,
                        reference, expertCost, routerCost, batch, listener,
                        s -> SampleShards.write(run, s, prompts, Figures.SAMPLE_COLUMNS));
                Files.createDirectories(run.evalDir());
                report.write(run.evalDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + run.evalDir(), e);
            }
        }
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
