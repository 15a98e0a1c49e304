package org.parisjava.cli;

import java.util.concurrent.Callable;
import org.parisjava.train.MonolithTrainer;
import org.parisjava.train.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris train-monolith}: the baseline on all shards with the K experts' total compute. */
@Command(name = "train-monolith", mixinStandardHelpOptions = true,
        description = "Train one model on all shards with the same total compute as the K experts "
                + "(DDM's rule: equal batch x steps, so K x the expert steps at the expert batch).")
final class TrainMonolithCommand implements Callable<Integer> {
    @Mixin
    TrainingArgs args;

    @Option(names = "--experts", description = "K, the number of experts to match (default: the shards in the run).")
    Integer experts;

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        ParentWatch.startIfAsked(); // a child of paris reproduce stops when its parent ends
        device.apply();
        args.applyThreads();
        int k = experts != null ? experts : ExpertLauncher.clusters(args.layout()).size();
        TrainResult r = MonolithTrainer.train(args.layout(), k, args.expertOptions(), new TerminalProgress(System.err));
        if (r.startStep() >= r.steps()) {
            System.out.println(TrainExpertCommand.alreadyTrained("monolith", r));
        } else {
            System.out.printf("monolith: %d steps (= %d experts x expert steps), loss %.4f -> %.4f, %.1f images/s, checkpoint %s%n",
                    r.steps(), k, r.firstLoss(), r.lastLoss(), r.imagesPerSecond(), r.checkpoint());
        }
        return 0;
    }
}
