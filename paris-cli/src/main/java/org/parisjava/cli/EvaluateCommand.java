package org.parisjava.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.RunLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code paris evaluate}: compares inference strategies on a trained run and redraws its figures. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Compare inference strategies on a trained run, then redraw its figures and table.",
                "Same prompts and seeds for every strategy; unfinished earlier stages run first."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run folder, e.g. runs/demo")
    Path run;

    @Option(names = "--strategies", split = ",", paramLabel = "S",
            description = "strategies: monolith, top-1, top-2, top-K, full, oracle, sample-K, threshold-P"
                    + " (default: the run's)")
    List<String> strategies;

    @Option(names = "--parallel", defaultValue = "1", description = "models trained at once, each in its own process, if some are unfinished (default: ${DEFAULT-VALUE})")
    int parallel;

    @Mixin
    DeviceArgs device;

    @Override
    public Integer call() {
        device.apply();
        RunLayout layout = new RunLayout(run);
        Reproduction.Options o = Reproduction.fromRun(layout).withExperts(ReproduceCommand.processRunner(parallel));
        if (strategies != null) {
            o = o.withStrategies(strategies.stream().map(RoutingStrategy::parse).toList());
        }
        long t0 = System.nanoTime();
        Reproduction.Result r = Reproduction.reevaluate(layout, o, new TerminalProgress(System.err));
        ReproduceCommand.printResult(System.out, r, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
