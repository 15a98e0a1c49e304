package org.parisjava.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.Sample;
import org.parisjava.data.Shard;
import org.parisjava.eval.ClassifierConfig;
import org.parisjava.eval.FeatureClassifier;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5: the evaluation classifier, trained on the run's own real images; its features are the
 * space of the Frechet distance and its predictions score prompt adherence. Reads {@code shards/};
 * writes {@code eval/classifier/}. Which classifier depends on the dataset's attributes
 * ({@link ClassifierChoice}); a dataset without any gets none, and is measured in the features of a
 * model the user gives instead ({@link EvaluationChoice}).
 */
final class ClassifierStage implements PipelineStage {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierStage.class);

    /** The classifier's folder under eval/. */
    static final String CLASSIFIER_DIR = "classifier";

    static Path dir(RunLayout run) {
        return run.evalDir().resolve(CLASSIFIER_DIR);
    }

    @Override
    public Reproduction.Stage id() {
        return Reproduction.Stage.CLASSIFIER;
    }

    @Override
    public List<Path> inputs(RunLayout run, Reproduction.Options o) {
        return StageFiles.shards(run, o);
    }

    @Override
    public List<Path> outputs(RunLayout run, Reproduction.Options o) {
        return List.of(dir(run));
    }

    /**
     * Nothing to refuse here: a dataset without attributes gets no classifier, and the evaluate stage
     * checks that something else can measure it ({@link EvaluationChoice}).
     */
    @Override
    public void validate(RunLayout run, Reproduction.Options o) {
    }

    /** Done when the classifier is saved, or when the dataset has no attributes to train one on. */
    @Override
    public boolean isDone(RunLayout run, Reproduction.Options o) {
        return Files.isRegularFile(dir(run).resolve(FeatureClassifier.WEIGHTS))
                || !EvaluationChoice.needsClassifier(run, o);
    }

    @Override
    public void run(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        List<Sample> all = new ArrayList<>();
        EvaluationSet.shardSamples(run, o.preset().coarseClusters()).forEach(all::addAll);
        Shard first = Shard.open(run.shardDir(0));
        ClassifierConfig cc = ClassifierChoice.forDataset(first.spec(), first.attributeNames());
        try (FeatureClassifier fc = FeatureClassifier.train(all, cc,
                FeatureClassifier.Options.forImages(all.size(), o.seed()), listener)) {
            fc.save(dir(run));
            LOG.info("evaluation classifier: held-out accuracy {}", fc.info().accuracy());
        }
    }
}
