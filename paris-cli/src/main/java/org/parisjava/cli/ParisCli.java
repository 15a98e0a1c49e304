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
                KernelCommand.class,
                SubmitCommand.class,
                StatusCommand.class,
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
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
            if (System.getenv("PARIS_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
