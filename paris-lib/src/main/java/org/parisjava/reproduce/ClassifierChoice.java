package org.parisjava.reproduce;

import java.util.List;
import org.parisjava.data.FashionMnistDataset;
import org.parisjava.data.ImageSpec;
import org.parisjava.eval.ClassifierConfig;

/**
 * Which evaluation classifier a dataset gets. Frechet distance and prompt adherence are measured in
 * the feature space of a small classifier the run trains on its own real images, so a dataset can
 * be evaluated only when its samples carry attributes such a classifier can learn: shape and colour
 * (the generated shapes) or the class label (Fashion-MNIST). Image folders and WebDatasets carry
 * none, and a reproduction on them is refused before its first stage.
 */
public final class ClassifierChoice {
    private ClassifierChoice() {
    }

    /**
     * The classifier for samples of {@code spec} carrying {@code attributes}.
     *
     * @throws IllegalArgumentException naming the attributes, when the project has no classifier for them
     */
    public static ClassifierConfig forDataset(ImageSpec spec, List<String> attributes) {
        if (attributes.contains("shape") && attributes.contains("color")) {
            return ClassifierConfig.forShapes(spec);
        }
        if (attributes.contains("label")) {
            return ClassifierConfig.forAttribute(spec, "label", FashionMnistDataset.LABELS);
        }
        throw new IllegalArgumentException("No evaluation classifier for a dataset with attributes " + attributes
                + ": the project trains one for shapes (shape, color) and Fashion-MNIST (label), and an image folder"
                + " or WebDataset carries neither, so its samples could not be scored");
    }
}
