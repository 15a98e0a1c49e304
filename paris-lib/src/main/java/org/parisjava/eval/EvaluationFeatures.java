package org.parisjava.eval;

import java.util.List;
import org.parisjava.data.ImageU8;
import org.parisjava.features.FeatureExtractor;

/**
 * The feature space quality is measured in: images (N) to feature rows (N, D). Three kinds exist:
 * the run's own evaluation classifier (its penultimate features, for datasets with attributes), a
 * user-provided Inception network (pytorch-fid's TorchScript, the papers' FID) and DINOv2 (any
 * {@link FeatureExtractor}, e.g. {@code features.HfDinov2Features}). The name keys the cache of the real
 * images' features, so it must change whenever the features would.
 */
public interface EvaluationFeatures {

    /** Feature rows (N, D) of {@code images}, deterministic. */
    float[][] features(List<ImageU8> images);

    /** What the features are, e.g. {@code classifier(...)}, {@code inception:pt_inception.pt}, {@code hf:dinov2(...)}. */
    String name();

    /** The classifier's penultimate features. */
    static EvaluationFeatures of(FeatureClassifier classifier, String name) {
        return new EvaluationFeatures() {
            @Override
            public float[][] features(List<ImageU8> images) {
                return classifier.features(images);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Features of a clustering-style extractor (DINOv2 CLS tokens, a TorchScript encoder). */
    static EvaluationFeatures of(FeatureExtractor extractor) {
        return new EvaluationFeatures() {
            @Override
            public float[][] features(List<ImageU8> images) {
                int batch = 64;
                float[][] out = new float[images.size()][];
                for (int from = 0; from < images.size(); from += batch) {
                    float[][] f = extractor.extract(images.subList(from, Math.min(images.size(), from + batch)));
                    System.arraycopy(f, 0, out, from, f.length);
                }
                return out;
            }

            @Override
            public String name() {
                return extractor.name();
            }
        };
    }

    /** Pool features of pytorch-fid's Inception network (2048 values per image for the released weights). */
    static EvaluationFeatures of(InceptionFid inception, String name) {
        return new EvaluationFeatures() {
            @Override
            public float[][] features(List<ImageU8> images) {
                return inception.features(images);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
