package org.parisjava.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Replaces a caption by the empty caption {@code ""} with probability p during training, so one
 * model learns both the conditional and the unconditional velocity that classifier-free guidance
 * needs. The paper drops 10%. Deterministic given the {@link Random}: exactly one draw per caption.
 */
public final class CaptionDropout {

    /**
     * The rate of Paris (arXiv 2510.03434), as in classifier-free guidance (Ho and Salimans, arXiv
     * 2207.12598) and DiT's class dropout (arXiv 2212.09748).
     */
    public static final double DEFAULT_P = 0.1;

    private final double p;

    public CaptionDropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Caption dropout probability must be in [0, 1]: " + p);
        }
        this.p = p;
    }

    public CaptionDropout() {
        this(DEFAULT_P);
    }

    public double probability() {
        return p;
    }

    public List<String> apply(List<String> captions, Random rng) {
        List<String> out = new ArrayList<>(captions.size());
        for (String c : captions) {
            out.add(rng.nextDouble() < p ? "" : c);
        }
        return out;
    }
}
