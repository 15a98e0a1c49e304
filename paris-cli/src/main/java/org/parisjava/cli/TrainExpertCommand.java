package org.parisjava.cli;

import java.util.Locale;
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

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        ParentWatch.startIfAsked();
        device.apply();
        args.applyThreads();
        TrainResult r = ExpertTrainer.train(args.layout(), cluster, args.expertOptions(),
                new TerminalProgress(System.err));
        if (r.startStep() >= r.steps()) {
            System.out.println(alreadyTrained("expert " + cluster, r));
        } else {
            System.out.printf("expert %d: %d steps (from %d), loss %.4f -> %.4f, %.1f images/s, checkpoint %s%n",
                    cluster, r.steps(), r.startStep(), r.firstLoss(), r.lastLoss(), r.imagesPerSecond(), r.checkpoint());
        }
        return 0;
    }

    /**
     * What a rerun on a finished model says instead of a loss and a speed it did not measure
     * (NaN, 0 images/s): where it stopped and how to train on.
     */
    static String alreadyTrained(String what, TrainResult r) {
        return String.format(Locale.ROOT, "%s: already trained to step %d (%d asked for; checkpoint %s), nothing to do."
                        + " To train longer pass --steps with more than %d; to start again remove %s.",
                what, r.startStep(), r.steps(), r.checkpoint(), r.startStep(), r.outputDir());
    }
}
