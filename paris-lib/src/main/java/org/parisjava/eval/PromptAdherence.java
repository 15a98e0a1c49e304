package org.parisjava.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parisjava.data.ImageU8;

/**
 * Prompt adherence: the fraction of generated images whose attributes, as the evaluation classifier
 * reads them, match what their caption asked for (shapes: shape and colour; Fashion-MNIST: the class).
 *
 * @param perAttribute accuracy per classifier head
 * @param mean         mean over the heads
 * @param images       images scored
 */
public record PromptAdherence(Map<String, Double> perAttribute, double mean, int images) {

    /**
     * @param requested per image, the caption's attributes (at least every head of the classifier)
     */
    public static PromptAdherence of(FeatureClassifier classifier, List<ImageU8> images,
                                     List<Map<String, String>> requested) {
        if (images.size() != requested.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + requested.size() + " attribute maps");
        }
        Map<String, int[]> pred = classifier.predict(images);
        Map<String, Double> acc = new LinkedHashMap<>();
        double sum = 0;
        for (var e : classifier.config().heads().entrySet()) {
            int hits = 0;
            for (int i = 0; i < images.size(); i++) {
                String want = requested.get(i).get(e.getKey());
                if (want == null) {
                    throw new IllegalArgumentException("Image " + i + "'s caption attributes lack '" + e.getKey() + "'");
                }
                hits += e.getValue().get(pred.get(e.getKey())[i]).equals(want) ? 1 : 0;
            }
            double a = images.isEmpty() ? Double.NaN : (double) hits / images.size();
            acc.put(e.getKey(), a);
            sum += a;
        }
        return new PromptAdherence(acc, sum / acc.size(), images.size());
    }
}
