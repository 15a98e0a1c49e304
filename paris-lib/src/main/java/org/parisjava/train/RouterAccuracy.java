package org.parisjava.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Router accuracy per timestep bin and its confusion matrices (figure 3 of docs/design.md, section 4):
 * near chance (1/K) as t approaches 1, where x_t is almost pure noise, and high as t approaches 0.
 * The {@link RouterTrainer} measures it on held-out images at the end of training.
 * An accumulator: {@link #add} predictions batch by batch, then take the immutable {@link #result()}.
 */
public final class RouterAccuracy {
    private final int clusters;
    private final int bins;
    private final long[][][] confusion; // (bins, K true, K predicted)

    /**
     * @param clusters K, the number of experts the router chooses among
     * @param bins     equal-width bins of t over [0, 1]
     */
    public RouterAccuracy(int clusters, int bins) {
        if (clusters < 1) {
            throw new IllegalArgumentException("Invalid number of clusters: " + clusters);
        }
        if (bins < 1) {
            throw new IllegalArgumentException("Invalid number of timestep bins: " + bins);
        }
        this.clusters = clusters;
        this.bins = bins;
        this.confusion = new long[bins][clusters][clusters];
    }

    /** Records one prediction of the router at time t. */
    public void add(double t, int predicted, int truth) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("Timestep " + t + " is outside [0, 1]");
        }
        check(predicted, "predicted");
        check(truth, "true");
        int bin = Math.min(bins - 1, (int) (t * bins));
        confusion[bin][truth][predicted]++;
    }

    /** Records a batch: t (B), the router's argmax (B) and the true clusters (B). */
    public void add(float[] t, int[] predicted, int[] truth) {
        if (t.length != predicted.length || t.length != truth.length) {
            throw new IllegalArgumentException("Batch lengths differ: t " + t.length + ", predicted " + predicted.length
                    + ", true " + truth.length);
        }
        for (int i = 0; i < t.length; i++) {
            add(t[i], predicted[i], truth[i]);
        }
    }

    private void check(int cluster, String what) {
        if (cluster < 0 || cluster >= clusters) {
            throw new IllegalArgumentException("Invalid " + what + " cluster " + cluster + " (K = " + clusters + ")");
        }
    }

    public Result result() {
        List<Bin> out = new ArrayList<>();
        long[][] total = new long[clusters][clusters];
        long hits = 0;
        long count = 0;
        for (int b = 0; b < bins; b++) {
            long binHits = 0;
            long binCount = 0;
            long[][] m = new long[clusters][];
            for (int i = 0; i < clusters; i++) {
                m[i] = confusion[b][i].clone();
                for (int j = 0; j < clusters; j++) {
                    binCount += m[i][j];
                    total[i][j] += m[i][j];
                }
                binHits += m[i][i];
            }
            double acc = binCount == 0 ? Double.NaN : (double) binHits / binCount;
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, binCount, acc, m));
            hits += binHits;
            count += binCount;
        }
        return new Result(clusters, out, total, count == 0 ? Double.NaN : (double) hits / count);
    }

    /**
     * One timestep bin [tLow, tHigh) (the last bin includes 1).
     *
     * @param confusion counts (K true, K predicted)
     */
    public record Bin(double tLow, double tHigh, long count, double accuracy, long[][] confusion) {
    }

    /**
     * @param clusters  K; chance accuracy is 1/K for balanced clusters
     * @param bins      the timestep bins, t increasing
     * @param confusion all bins together (K true, K predicted)
     * @param accuracy  over all bins
     */
    public record Result(int clusters, List<Bin> bins, long[][] confusion, double accuracy) {
        public Result {
            bins = List.copyOf(bins);
        }

        /** t_low,t_high,count,accuracy: one row per timestep bin, for the accuracy figure. */
        public String toCsv() {
            StringBuilder b = new StringBuilder("t_low,t_high,count,accuracy\n");
            for (Bin bin : bins) {
                b.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d,%.6f%n", bin.tLow(), bin.tHigh(),
                        bin.count(), bin.accuracy()));
            }
            return b.toString();
        }

        /** Accuracy of the bin holding t. */
        public double accuracyAt(double t) {
            int b = Math.min(bins.size() - 1, (int) (t * bins.size()));
            return bins.get(b).accuracy();
        }
    }
}
