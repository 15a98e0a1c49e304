package org.parisjava.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.data.ImageCaptionDataset;
import org.parisjava.data.Shard;
import org.parisjava.eval.ClipScorer;
import org.parisjava.eval.EvaluationFeatures;
import org.parisjava.eval.FeatureClassifier;
import org.parisjava.eval.InceptionFid;
import org.parisjava.features.DjlModelFeatures;
import org.parisjava.features.FeatureExtractor;
import org.parisjava.features.HfDinov2Features;
import org.parisjava.features.ImageNormalization;
import org.parisjava.run.RunLayout;

/**
 * What a run's evaluation measures with, decided from the dataset's attributes and the options, and
 * checked before the first stage (docs/design.md, section 7).
 *
 * <ul>
 *   <li>A dataset with attributes a classifier can learn (shapes: shape and colour; Fashion-MNIST: the
 *       label) gets the run's evaluation classifier: its features for quality, its heads for prompt
 *       adherence.</li>
 *   <li>A dataset without (an image folder, a WebDataset) gets quality in the features of a model the
 *       user provides: pytorch-fid's Inception TorchScript ({@code inception:PATH}, the papers' FID and
 *       KID), a DINOv2 folder ({@code hf:PATH}), or, with {@code auto}, the run's clustering model when the
 *       clustering features are one. Prompt adherence is then the CLIP score (arXiv 2104.08718) when a CLIP
 *       model is given ({@code --clip hf:PATH}, {@link #checkClip}), and not measured otherwise.</li>
 * </ul>
 * A CLIP model given for a dataset with attributes adds the CLIP score beside the classifier's adherence.
 */
public final class EvaluationChoice {
    /** The default: the classifier when the dataset has attributes, else the clustering model. */
    public static final String AUTO = "auto";
    /** The run's evaluation classifier. */
    public static final String CLASSIFIER = "classifier";
    /** Prefix of pytorch-fid's Inception TorchScript. */
    public static final String INCEPTION = "inception:";

    private EvaluationChoice() {
    }

    /** {@code spec} checked and normalized (null is {@link #AUTO}). */
    public static String check(String spec) {
        if (spec == null || spec.isBlank()) {
            return AUTO;
        }
        if (spec.equals(AUTO) || spec.equals(CLASSIFIER) || isModel(spec)) {
            return spec;
        }
        throw new IllegalArgumentException("Unknown evaluation features '" + spec
                + "' (auto, classifier, inception:PATH to pytorch-fid's Inception TorchScript, hf:PATH to a DINOv2"
                + " folder, or model:PATH to a TorchScript/ONNX encoder)");
    }

    private static boolean isModel(String spec) {
        return spec.startsWith(INCEPTION) && spec.length() > INCEPTION.length()
                || spec.startsWith("hf:") && spec.length() > 3 || spec.startsWith("model:") && spec.length() > 6;
    }

    /** Prefix of a CLIP model folder for the CLIP score. */
    public static final String HF = "hf:";

    /**
     * A CLIP score option checked and normalized: null (blank or {@code none}) when no CLIP score is
     * measured, else {@code hf:PATH}.
     *
     * @throws IllegalArgumentException for any other form
     */
    public static String checkClip(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("none")) {
            return null;
        }
        if (spec.startsWith(HF) && spec.length() > HF.length()) {
            return spec;
        }
        throw new IllegalArgumentException("Unknown CLIP model '" + spec + "' (hf:PATH to a CLIPModel folder such as"
                + " clip-vit-large-patch14, or to a folder with image_encoder/, text_encoder/ and tokenizer/)");
    }

    /** The CLIP scorer of a checked CLIP option, or null for none. */
    static ClipScorer openClip(String spec) {
        return spec == null ? null : ClipScorer.load(Path.of(spec.substring(HF.length())));
    }

    /** The dataset's attribute names: from the run's first shard once clustered, from the dataset before that. */
    static List<String> attributes(RunLayout run, Reproduction.Options o) {
        if (Shard.exists(run.shardDir(0))) {
            return Shard.open(run.shardDir(0)).attributeNames();
        }
        ImageCaptionDataset data = Reproduction.openDataset(o);
        return data.attributeNames();
    }

    /** Whether the project has an evaluation classifier for these attributes. */
    static boolean hasClassifier(List<String> attributes) {
        return attributes.contains("shape") && attributes.contains("color") || attributes.contains("label");
    }

    /** Whether this run trains an evaluation classifier: it does whenever the dataset has attributes for one. */
    static boolean needsClassifier(RunLayout run, Reproduction.Options o) {
        return hasClassifier(attributes(run, o));
    }

    /**
     * The feature space of the quality metrics: {@link #CLASSIFIER} or a model spec.
     *
     * @throws IllegalArgumentException naming what to pass, when nothing can measure this dataset
     */
    static String qualitySpec(Reproduction.Options o, List<String> attributes) {
        String e = o.evalFeatures();
        if (e.equals(CLASSIFIER) && !hasClassifier(attributes)) {
            throw new IllegalArgumentException("--eval-features classifier needs a dataset with attributes (shape and"
                    + " color, or label); " + o.datasetSpec() + " has attributes " + attributes);
        }
        if (!e.equals(AUTO)) {
            return e;
        }
        if (hasClassifier(attributes)) {
            return CLASSIFIER;
        }
        if (o.features().startsWith("hf:") || o.features().startsWith("model:")) {
            return o.features();
        }
        throw new IllegalArgumentException("Dataset " + o.datasetSpec() + " cannot be evaluated: it has attributes "
                + attributes + ", so no evaluation classifier can be trained on it, and no feature model was given."
                + " Pass --fid-model PATH (pytorch-fid's Inception TorchScript, for FID and KID),"
                + " --eval-features hf:PATH (a transformers DINOv2 folder) or --features hf:PATH (cluster and evaluate"
                + " with DINOv2). Nothing was run");
    }

    /** Refuses a model spec whose file or folder does not exist. */
    static void checkExists(String spec) {
        if (spec.equals(CLASSIFIER)) {
            return;
        }
        Path p = Path.of(spec.substring(spec.indexOf(':') + 1));
        boolean ok = spec.startsWith("hf:") ? Files.isDirectory(p) : Files.isRegularFile(p);
        if (!ok) {
            throw new IllegalArgumentException("Evaluation features " + spec + ": " + p + " does not exist"
                    + (spec.startsWith("hf:") ? " (expected a folder with config.json and model.safetensors)" : ""));
        }
    }

    /** An open feature space, with whatever it holds open. */
    record Opened(EvaluationFeatures features, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close " + features.name(), e);
            }
        }
    }

    /** Opens the model of a model spec ({@code inception:}, {@code hf:} or {@code model:}). */
    static Opened openModel(String spec) {
        if (spec.startsWith(INCEPTION)) {
            Path file = Path.of(spec.substring(INCEPTION.length()));
            InceptionFid inception = InceptionFid.load(file);
            return new Opened(EvaluationFeatures.of(inception, "inception:" + file.getFileName()), inception);
        }
        FeatureExtractor fx;
        if (spec.startsWith("hf:")) {
            fx = HfDinov2Features.builder().setFolder(Path.of(spec.substring(3))).build();
        } else {
            fx = DjlModelFeatures.builder().setModelPath(Path.of(spec.substring(6))).optInputSize(3, 224, 224)
                    .optNormalization(ImageNormalization.IMAGENET).build();
        }
        return new Opened(EvaluationFeatures.of(fx), fx);
    }

    /** The classifier's feature space. */
    static EvaluationFeatures classifierFeatures(FeatureClassifier fc) {
        return EvaluationFeatures.of(fc, "classifier(" + String.join(",", fc.config().heads().keySet())
                + ", penultimate features, trained on this run's images)");
    }
}
