package org.parisjava.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.parisjava.run.RunLayout;

/**
 * {@code paris train-experts}: launches every expert as its own OS process ({@code paris
 * train-expert}), P at a time. The processes share nothing but the read-only run configuration;
 * each writes only its own expert folder and train.log.
 */
@Command(name = "train-experts", mixinStandardHelpOptions = true,
        description = "Train the K experts as separate processes, P at a time; logs in experts/cluster-XX/train.log.")
final class TrainExpertsCommand implements Callable<Integer> {
    @Mixin
    TrainingArgs args;

    @Option(names = "--parallel", defaultValue = "1", description = "Experts trained at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--clusters", split = ",", description = "Only these clusters (default: every shard in the run).")
    List<Integer> clusters;

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        device.apply();
        RunLayout layout = args.layout();
        List<Integer> ks = clusters != null ? clusters : ExpertLauncher.clusters(layout);
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("No shards under " + layout.shardsDir() + "; run the clustering stage first");
        }
        List<String> extra = args.forwardedArgs();
        List<ExpertLauncher.Outcome> outcomes = ExpertLauncher.launch(layout, ks, parallel, extra,
                o -> System.err.printf("expert %d: %s (%.1f s), log %s%n", o.cluster(),
                        o.exitCode() == 0 ? "done" : "FAILED with exit code " + o.exitCode(), o.seconds(), o.log()));
        long failed = outcomes.stream().filter(o -> o.exitCode() != 0).count();
        System.out.printf("%d of %d experts trained%s%n", outcomes.size() - failed, outcomes.size(),
                failed == 0 ? "" : "; failed: " + outcomes.stream().filter(o -> o.exitCode() != 0)
                        .map(o -> o.cluster() + " (exit " + o.exitCode() + ")").toList());
        return failed == 0 ? 0 : 1;
    }
}
