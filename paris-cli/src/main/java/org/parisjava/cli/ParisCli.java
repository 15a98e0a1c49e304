package org.parisjava.cli;

import java.util.List;
import org.parisjava.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paris} command: thin entry points over paris-lib, one subcommand per pipeline stage. */
@Command(name = "paris", mixinStandardHelpOptions = true, version = "paris 0.1.0",
        description = "Paris in Java: decentralized diffusion training (arXiv 2510.03434).")
public final class ParisCli implements Runnable {

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
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
            RunStageCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
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
     * The command line that parses {@code args}. Picocli builds a command's model by reflection over its
     * options, 0.2-0.3 s for all fifteen on a cold JVM, so a run of one subcommand registers that one alone;
     * no arguments, help, --help, --version and unknown names get all of them, in the order of
     * {@link #SUBCOMMANDS}.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new ParisCli());
        Class<?> only = args.length > 0 ? subcommand(args[0]) : null;
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    /** The subcommand class named {@code name} (not help), or null. */
    static Class<?> subcommand(String name) {
        for (Class<?> c : SUBCOMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (c != CommandLine.HelpCommand.class && (a.name().equals(name) || List.of(a.aliases()).contains(name))) {
                return c;
            }
        }
        return null;
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
