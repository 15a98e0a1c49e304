package org.parisjava.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import org.parisjava.run.RunLayout;

/**
 * {@code paris train-experts}: launches every expert as its own OS process ({@code paris
 * train-expert}), P at a time. The processes share nothing but the read-only run configuration;
 * each writes only its own expert folder and train.log.
 */
@Command(name = "train-experts", mixinStandardHelpOptions = true,
        description = "Train the K experts as separate processes, P at a time; logs in experts/cluster-XX/train.log.")
final class TrainExpertsCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder, e.g. runs/demo.")
    Path run;

    @Option(names = "--parallel", defaultValue = "1", description = "Experts trained at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--clusters", split = ",", description = "Only these clusters (default: every shard in the run).")
    List<Integer> clusters;

    @Option(names = "--preset", description = "Passed to each train-expert.")
    String preset;

    @Option(names = "--model", description = "Passed to each train-expert.")
    String model;

    @Option(names = "--steps", description = "Passed to each train-expert.")
    Integer steps;

    @Option(names = "--batch", description = "Passed to each train-expert.")
    Integer batch;

    @Option(names = "--seed", description = "Passed to each train-expert.")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Passed to each train-expert.")
    Integer checkpointEvery;

    @Override
    public Integer call() {
        RunLayout layout = new RunLayout(run);
        List<Integer> ks = clusters != null ? clusters : ExpertLauncher.clusters(layout);
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("No shards under " + layout.shardsDir() + "; run the clustering stage first");
        }
        List<String> extra = new ArrayList<>();
        add(extra, "--preset", preset);
        add(extra, "--model", model);
        add(extra, "--steps", steps);
        add(extra, "--batch", batch);
        add(extra, "--seed", seed);
        add(extra, "--checkpoint-every", checkpointEvery);
        List<ExpertLauncher.Outcome> outcomes = ExpertLauncher.launch(layout, ks, parallel, extra,
                o -> System.err.printf("expert %d: %s (%.1f s), log %s%n", o.cluster(),
                        o.exitCode() == 0 ? "done" : "FAILED with exit code " + o.exitCode(), o.seconds(), o.log()));
        long failed = outcomes.stream().filter(o -> o.exitCode() != 0).count();
        System.out.printf("%d of %d experts trained%s%n", outcomes.size() - failed, outcomes.size(),
                failed == 0 ? "" : "; failed: " + outcomes.stream().filter(o -> o.exitCode() != 0)
                        .map(o -> o.cluster() + " (exit " + o.exitCode() + ")").toList());
        return failed == 0 ? 0 : 1;
    }

    private static void add(List<String> args, String name, Object value) {
        if (value != null) {
            args.add(name);
            args.add(value.toString());
        }
    }
}
