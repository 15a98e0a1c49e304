package org.parisjava.cli;

import org.parisjava.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paris} command: thin entry points over paris-lib, one subcommand per pipeline stage. */
@Command(name = "paris", mixinStandardHelpOptions = true, version = "paris 0.1.0",
        description = "Paris in Java: decentralized diffusion training (arXiv 2510.03434).",
        subcommands = {
                CommandLine.HelpCommand.class,
                ReproduceCommand.class,
                ClusterCommand.class,
                TrainExpertCommand.class,
                TrainExpertsCommand.class,
                TrainMonolithCommand.class,
                TrainRouterCommand.class,
                EvaluateCommand.class,
                SampleCommand.class,
                GenerateCommand.class,
                KernelCommand.class,
                DatasetsCommand.class,
                SubmitCommand.class,
                StatusCommand.class,
                RunStageCommand.class,
        })
public final class ParisCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new ParisCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof TrainingStoppedException stopped) { // a checkpoint was written: a scheduler may requeue
                cmd.getErr().println(stopped.getMessage());
                return TrainingStoppedException.EXIT_CODE;
            }
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + describe(ex)));
            if (System.getenv("PARIS_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }

    /**
     * The error's message followed by each cause's message it does not already hold, so that the
     * operating system's reason reaches the user without a debug flag: "Cannot write
     * runs/x/shards/cluster-0/data.bin: No space left on device", not just "Cannot write ...".
     */
    static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder(ex.getMessage() != null ? ex.getMessage() : ex.toString());
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(ex);
        for (Throwable c = ex.getCause(); c != null && seen.add(c); c = c.getCause()) {
            String m = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
            if (!sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
