package org.parisjava.latent;

import java.nio.file.Path;

/**
 * The latent space options a run names: {@code identity} (pixel space, the default for small
 * images) or {@code hf:PATH} (a diffusers AutoencoderKL folder such as stabilityai/sd-vae-ft-mse,
 * read in Java by {@link HfVaeCodec}).
 */
public final class LatentCodecs {
    /** The default spec. */
    public static final String IDENTITY = "identity";
    private static final String HF = "hf:";

    private LatentCodecs() {
    }

    /**
     * Checks the form of {@code spec} without loading anything.
     *
     * @return the spec, normalized ({@code null} becomes {@code identity})
     * @throws IllegalArgumentException naming the spec if it is neither form
     */
    public static String check(String spec) {
        if (spec == null || spec.equals(IDENTITY)) {
            return IDENTITY;
        }
        if (spec.startsWith(HF) && spec.length() > HF.length()) {
            return spec;
        }
        throw new IllegalArgumentException("Unknown latent space '" + spec
                + "' (identity, or hf:PATH to a diffusers AutoencoderKL folder)");
    }

    /**
     * Opens the codec {@code spec} names; an {@code hf:} VAE encodes to the posterior mean.
     *
     * @throws IllegalArgumentException naming the folder, file or tensor when an {@code hf:} folder is invalid
     */
    public static LatentCodec open(String spec) {
        String s = check(spec);
        if (s.equals(IDENTITY)) {
            return new IdentityCodec();
        }
        return HfVaeCodec.load(Path.of(s.substring(HF.length())));
    }
}
