package org.parisjava.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ShapesDataset;

/**
 * Shape of the evaluation classifier: a small CNN whose penultimate features span the space of the
 * Frechet distance ("FD-feat", like FID with our own network) and whose heads classify the
 * attributes a caption names (prompt adherence).
 *
 * @param channels   image channels
 * @param imageSize  image side
 * @param width      filters of the first convolution (then 2 width, 2 width)
 * @param featureDim width of the penultimate layer: the Frechet feature space
 * @param heads      attribute name to its class vocabulary, e.g. shape -> [circle, square, ...]
 */
public record ClassifierConfig(int channels, int imageSize, int width, int featureDim,
                               Map<String, List<String>> heads) {
    public ClassifierConfig {
        new ImageSpec(channels, imageSize, imageSize); // validates
        if (width < 1 || featureDim < 2) {
            throw new IllegalArgumentException("Invalid classifier width " + width + " or feature dim " + featureDim);
        }
        if (heads == null || heads.isEmpty()) {
            throw new IllegalArgumentException("The classifier needs at least one attribute head");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        heads.forEach((k, v) -> {
            if (v.size() < 2) {
                throw new IllegalArgumentException("Attribute '" + k + "' needs at least 2 classes, got " + v);
            }
            copy.put(k, List.copyOf(v));
        });
        heads = java.util.Collections.unmodifiableMap(copy);
    }

    /** Shapes: the caption's shape and colour, the attributes prompt adherence scores. */
    public static ClassifierConfig forShapes(ImageSpec spec) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("shape", ShapesDataset.vocabulary("shape"));
        h.put("color", ShapesDataset.vocabulary("color"));
        return new ClassifierConfig(spec.channels(), spec.height(), 32, 128, h);
    }

    /** One head over a single attribute, e.g. Fashion-MNIST's {@code label}. */
    public static ClassifierConfig forAttribute(ImageSpec spec, String attribute, List<String> classes) {
        return new ClassifierConfig(spec.channels(), spec.height(), 32, 128, Map.of(attribute, classes));
    }

    public ImageSpec spec() {
        return new ImageSpec(channels, imageSize, imageSize);
    }
}
