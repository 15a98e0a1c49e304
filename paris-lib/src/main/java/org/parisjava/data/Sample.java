package org.parisjava.data;

import java.util.Map;
import java.util.Objects;

/**
 * One image-caption pair.
 *
 * @param id         stable identifier within its source (index, file name or tar member key)
 * @param image      the pixels
 * @param caption    the text condition
 * @param attributes what is known about the sample for evaluation (shape, colour, class label...);
 *                   empty for uncaptioned web data. Never fed to a model.
 */
public record Sample(String id, ImageU8 image, String caption, Map<String, String> attributes) {
    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        caption = caption == null ? "" : caption;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
