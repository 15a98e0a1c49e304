package org.parisjava.text;

import java.nio.file.Path;

/**
 * The text encoder options a run names: {@code hashed} (the default, no weights) or {@code hf:PATH}
 * (CLIP's text tower from a Hugging Face folder, see {@link HfClipTextEncoder}).
 */
public final class TextEncoders {
    /** The default spec. */
    public static final String HASHED = "hashed";
    private static final String HF = "hf:";

    private TextEncoders() {
    }

    /**
     * Checks the form of {@code spec} without loading anything.
     *
     * @return the spec, normalized ({@code null} becomes {@code hashed})
     * @throws IllegalArgumentException naming the spec if it is neither form
     */
    public static String check(String spec) {
        if (spec == null || spec.equals(HASHED)) {
            return HASHED;
        }
        if (spec.startsWith(HF) && spec.length() > HF.length()) {
            return spec;
        }
        throw new IllegalArgumentException("Unknown text encoder '" + spec + "' (hashed, or hf:PATH to a CLIP folder)");
    }

    /**
     * Opens the encoder {@code spec} names.
     *
     * @param hashedDim    token width of the hashed encoder (ignored for {@code hf:}, whose width is the model's)
     * @param hashedTokens tokens per caption of the hashed encoder (ignored for {@code hf:})
     * @throws IllegalArgumentException naming the folder, file or tensor when an {@code hf:} folder is invalid
     */
    public static TextEncoder open(String spec, int hashedDim, int hashedTokens) {
        String s = check(spec);
        if (s.equals(HASHED)) {
            return new HashedTokenEncoder(hashedDim, hashedTokens);
        }
        return HfClipTextEncoder.load(Path.of(s.substring(HF.length())));
    }
}
