package org.parisjava.cli;

import java.util.concurrent.Callable;
import org.parisjava.train.ExpertTrainer;
import org.parisjava.train.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris train-expert}: trains one expert on its own shard, in this process, resuming if it can. */
@Command(name = "train-expert", mixinStandardHelpOptions = true,
        description = "Train expert k on shards/cluster-k only (resumes from its newest checkpoint).")
final class TrainExpertCommand implements Callable<Integer> {
    @Mixin
    TrainingArgs args;

    @Option(names = "--cluster", required = true, description = "Cluster index k.")
    int cluster;

    @Override
    public Integer call() {
        ParentWatch.startIfAsked();
        args.applyThreads();
        TrainResult r = ExpertTrainer.train(args.layout(), cluster, args.expertOptions(),
                new TerminalProgress(System.err));
        System.out.printf("expert %d: %d steps (from %d), loss %.4f -> %.4f, %.1f images/s, checkpoint %s%n",
                cluster, r.steps(), r.startStep(), r.firstLoss(), r.lastLoss(), r.imagesPerSecond(), r.checkpoint());
        return 0;
    }
}
