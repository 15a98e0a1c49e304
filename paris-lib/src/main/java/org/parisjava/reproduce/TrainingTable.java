package org.parisjava.reproduce;

import org.parisjava.data.Shard;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every flow-matching model of a run, read back from its newest checkpoint (which records its step,
 * seed, options and data order): the K experts, each on its own cluster's images, and the monolith on
 * all of them.
 */
public final class TrainingTable {
    private TrainingTable() {
    }

    /**
     * One row per expert, then the monolith: its training images, its step and its last loss (4 decimals).
     *
     * @throws java.util.NoSuchElementException naming the folder, when a model has no complete checkpoint
     */
    public static Table of(RunLayout run, int k) {
        Table t = Table.create("experts", StringColumn.create("model"), IntColumn.create("training images"),
                IntColumn.create("steps"), DoubleColumn.create("final loss"));
        int all = 0;
        int[] sizes = new int[k];
        for (int c = 0; c < k; c++) {
            sizes[c] = Shard.open(run.shardDir(c)).count();
            all += sizes[c];
        }
        for (int c = 0; c <= k; c++) {
            java.nio.file.Path dir = c < k ? run.expertDir(c) : run.monolithDir();
            Checkpoint ck = Checkpoint.latest(dir.resolve(FlowTrainer.CHECKPOINTS)).orElseThrow(() ->
                    new java.util.NoSuchElementException("No complete checkpoint under " + dir));
            t.stringColumn(0).append(c < k ? "expert " + c : "monolith");
            t.intColumn(1).append(c < k ? sizes[c] : all);
            t.intColumn(2).append((int) ck.info().step());
            t.doubleColumn(3).append(Math.round(ck.info().lastLoss() * 1e4) / 1e4);
        }
        return t;
    }
}
