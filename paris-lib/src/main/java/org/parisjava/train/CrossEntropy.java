package org.parisjava.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Cross-entropy of logits against integer class labels, the loss of the router and the classifier heads. */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * Mean over the batch of -log softmax(logits)[label].
     *
     * @param logits  (B, K)
     * @param labels  B labels in [0, K)
     * @param manager where the one-hot targets live (the step's manager)
     * @return the loss, shape ()
     */
    public static NDArray loss(NDArray logits, int[] labels, NDManager manager) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || shape.get(0) != labels.length) {
            throw new IllegalArgumentException("Logits " + shape + " do not match " + labels.length + " labels");
        }
        int k = (int) shape.get(1);
        float[] onehot = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("Label " + labels[i] + " at " + i + " is outside 0.." + (k - 1));
            }
            onehot[i * k + labels[i]] = 1f;
        }
        NDArray target = manager.create(onehot, shape); // (B, K)
        return logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean(); // ()
    }
}
