package org.parisjava.train;

/** Training hit a NaN or infinite loss; the last good checkpoint is left as it was. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;
    private final double loss;

    public NonFiniteLossException(String what, long step, double loss, String lastGood) {
        super(what + ": loss is " + loss + " at step " + step + "; training stopped, last good checkpoint: "
                + (lastGood == null ? "none" : lastGood));
        this.step = step;
        this.loss = loss;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
