package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The help a person reads: every text formats as written, and the command list shows whole sentences. */
class CliHelpTest {

    /**
     * Picocli passes each description line through {@code String.format}; a bare {@code %} (as in "a 95%
     * interval") makes it print a warning with every {@code --help} and show the line unformatted.
     */
    @Test
    void everyHelpTextFormatsWithoutAWarning() {
        List<String> bad = new ArrayList<>();
        visit(ParisCli.commandLine(), bad);
        assertTrue(bad.isEmpty(), "texts picocli cannot format (escape % as %%):\n" + String.join("\n", bad));
    }

    /** The texts as written in the annotations (what picocli formats), for the command and its mixins. */
    private static void visit(CommandLine cl, List<String> bad) {
        CommandSpec spec = cl.getCommandSpec();
        List<Class<?>> classes = new ArrayList<>();
        classes.add(spec.userObject().getClass());
        for (CommandSpec mixin : spec.mixins().values()) {
            classes.add(mixin.userObject().getClass());
        }
        List<String> texts = new ArrayList<>();
        for (Class<?> c : classes) {
            Command command = c.getAnnotation(Command.class);
            if (command != null) {
                texts.addAll(List.of(command.description()));
                texts.addAll(List.of(command.header()));
                texts.addAll(List.of(command.footer()));
            }
            for (Field f : c.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    texts.addAll(List.of(o.description()));
                }
                Parameters p = f.getAnnotation(Parameters.class);
                if (p != null) {
                    texts.addAll(List.of(p.description()));
                }
            }
        }
        for (String t : texts) {
            try {
                String.format(Locale.ROOT, t);
            } catch (IllegalFormatException e) {
                bad.add(spec.qualifiedName() + ": " + t + " (" + e.getMessage() + ")");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            visit(sub, bad);
        }
    }

    /**
     * A subcommand's run registers that subcommand alone (picocli's reflection over the other fourteen cost a
     * cold start 0.2-0.3 s); the list, help and names that match nothing see every one, in the same order.
     */
    @Test
    void aSubcommandRunBuildsOnlyItsOwnModel() {
        List<String> all = List.copyOf(ParisCli.commandLine().getSubcommands().keySet());
        assertEquals(ParisCli.SUBCOMMANDS.size(), all.size());
        assertEquals(List.of("help", "reproduce", "cluster"), all.subList(0, 3));
        assertEquals(List.of("cluster"), List.copyOf(ParisCli.commandLine("cluster", "--out", "x").getSubcommands().keySet()));
        assertEquals(List.of("datasets"), List.copyOf(ParisCli.commandLine("datasets", "check").getSubcommands().keySet()));
        for (String[] args : List.of(new String[] {"help", "cluster"}, new String[] {"--help"}, new String[] {"--version"},
                new String[] {"clutser"}, new String[0])) {
            assertEquals(all, List.copyOf(ParisCli.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
        // what a person sees is unchanged: help for one command, and the suggestion for a misspelt one
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine help = ParisCli.commandLine("help", "cluster");
        help.setOut(new java.io.PrintWriter(out));
        assertEquals(0, help.execute("help", "cluster"));
        assertTrue(out.toString().contains("Usage: paris cluster"), out.toString());
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine typo = ParisCli.commandLine("clutser");
        typo.setErr(new java.io.PrintWriter(err));
        assertTrue(typo.execute("clutser") != 0);
        assertTrue(err.toString().contains("cluster"), err.toString());
    }

    /**
     * A command list ({@code paris --help}, {@code paris datasets --help}) shows the first description line of
     * each subcommand only, so that line must be a whole sentence, not one cut at "its licence,".
     */
    @Test
    void everyCommandListShowsWholeSentences() {
        List<String> cut = new ArrayList<>();
        firstLines(ParisCli.commandLine(), cut);
        assertTrue(cut.isEmpty(), "first description lines that do not end a sentence:\n" + String.join("\n", cut));
    }

    private static void firstLines(CommandLine cl, List<String> cut) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            String[] d = sub.getCommandSpec().usageMessage().description();
            if (d.length == 0 || !d[0].strip().endsWith(".")) {
                cut.add(sub.getCommandSpec().qualifiedName() + ": " + (d.length == 0 ? "(none)" : d[0]));
            }
            firstLines(sub, cut);
        }
    }
}
