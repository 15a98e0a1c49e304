package org.parisjava.sched;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-stage and per-expert Slurm resources, as rules {@code SCOPE.FIELD = VALUE}, one a line, from
 * a small file in the run folder ({@code slurm/resources.conf}) or the command line:
 *
 * <pre>
 * default.time        = 04:00:00          # every job
 * default.account     = my-lab
 * cluster.mem         = 32G               # one stage: cluster, experts, monolith, router, evaluate
 * experts.gres        = gpu:1
 * experts[0-3].partition = a100           # some experts: a list of indices and ranges
 * experts[4-7].partition = v100
 * experts[4-7].extra  = --constraint=v100 # extra: one more sbatch option (repeatable)
 * </pre>
 *
 * A job gets the default rules, then its stage's, then (for an expert) the rules naming its
 * index; within one level a later rule wins. Blank lines and {@code #} comments are ignored.
 */
public final class ResourceRules {
    /** The stages a rule may name. */
    public static final List<String> STAGES = List.of("cluster", "experts", "monolith", "router", "evaluate");
    private static final Pattern RULE = Pattern.compile(
            "\\s*(default|cluster|experts|monolith|router|evaluate)(\\[([0-9,\\s-]+)\\])?\\.([a-z]+)\\s*=(.*)");

    private record Rule(String scope, TreeSet<Integer> experts, String field, String value, String where) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /** Reads a rules file; {@code where} names it in errors. A missing file adds nothing. */
    public ResourceRules addFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return this;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int hash = line.indexOf('#');
                String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!body.isEmpty()) {
                    add(body, file + " line " + (i + 1));
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Adds one rule {@code SCOPE.FIELD=VALUE}; {@code where} names its origin in errors. */
    public ResourceRules add(String rule, String where) {
        Matcher m = RULE.matcher(rule);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": invalid resource rule '" + rule
                    + "'; expected SCOPE.FIELD = VALUE with SCOPE one of default, " + String.join(", ", STAGES)
                    + ", experts[0-3] and FIELD one of " + SlurmResources.FIELDS);
        }
        String scope = m.group(1);
        String field = m.group(4).toLowerCase(Locale.ROOT);
        if (!SlurmResources.FIELDS.contains(field)) {
            throw new IllegalArgumentException(where + ": unknown resource '" + field + "' in '" + rule + "'; known: "
                    + SlurmResources.FIELDS);
        }
        TreeSet<Integer> experts = null;
        if (m.group(3) != null) {
            if (!scope.equals("experts")) {
                throw new IllegalArgumentException(where + ": only experts take indices, in '" + rule + "'");
            }
            experts = parseIndices(m.group(3), where);
        }
        Rule r = new Rule(scope, experts, field, m.group(5).strip(), where);
        try {
            SlurmResources.none().with(field, r.value()); // validates the value now, naming the rule
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage() + " in '" + rule + "'", e);
        }
        rules.add(r);
        return this;
    }

    /** Indices such as {@code 0-3,6}. */
    static TreeSet<Integer> parseIndices(String list, String where) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : list.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 0 || to < from) {
                    throw new NumberFormatException();
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": invalid expert indices '" + list + "'");
            }
        }
        return out;
    }

    /** The resources of a stage's job ({@code experts} gives those common to every expert). */
    public SlurmResources forStage(String stage, SlurmResources base) {
        if (!STAGES.contains(stage)) {
            throw new IllegalArgumentException("Unknown stage '" + stage + "'; known: " + STAGES);
        }
        return apply(apply(base, "default", -1), stage, -1);
    }

    /** The resources of expert {@code k}'s array task. */
    public SlurmResources forExpert(int k, SlurmResources base) {
        return apply(forStage("experts", base), "experts", k);
    }

    private SlurmResources apply(SlurmResources r, String scope, int expert) {
        for (Rule rule : rules) {
            boolean match = rule.scope().equals(scope)
                    && (expert < 0 ? rule.experts() == null : rule.experts() != null && rule.experts().contains(expert));
            if (match) {
                r = r.with(rule.field(), rule.value());
            }
        }
        return r;
    }

    /** The largest expert index a rule names, or -1: a rule past K-1 is probably a mistake. */
    public int maxExpertIndex() {
        return rules.stream().filter(r -> r.experts() != null).mapToInt(r -> r.experts().last()).max().orElse(-1);
    }
}
