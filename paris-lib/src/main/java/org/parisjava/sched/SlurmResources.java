package org.parisjava.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one Slurm job asks for: the {@code #SBATCH} lines of its script. A null field is left to
 * the cluster's defaults.
 *
 * @param partition  {@code --partition}
 * @param account    {@code --account}
 * @param qos        {@code --qos}
 * @param gres       {@code --gres}, e.g. {@code gpu:1} or {@code gpu:a100:1}
 * @param cpus       {@code --cpus-per-task}; the job's PyTorch and OpenMP threads follow it
 * @param mem        {@code --mem} per node, e.g. {@code 8G}
 * @param time       {@code --time}, e.g. {@code 04:00:00} or {@code 1-00:00:00}
 * @param extra      further sbatch options, one per line, e.g. {@code --constraint=a100}
 */
public record SlurmResources(String partition, String account, String qos, String gres, Integer cpus, String mem,
                             String time, List<String> extra) {
    /** The fields a resources file or option may set. */
    public static final List<String> FIELDS = List.of("partition", "account", "qos", "gres", "cpus", "mem", "time",
            "extra");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:,=+/@%-]+");
    private static final Pattern MEM = Pattern.compile("[0-9]+[KMGT]?");
    private static final Pattern TIME = Pattern.compile("[0-9]+(-[0-9]+)?(:[0-9]+){0,2}|UNLIMITED|INFINITE");

    public SlurmResources {
        check("partition", partition, WORD);
        check("account", account, WORD);
        check("qos", qos, WORD);
        check("gres", gres, WORD);
        check("mem", mem, MEM);
        check("time", time, TIME);
        if (cpus != null && cpus < 1) {
            throw new IllegalArgumentException("Invalid cpus: " + cpus + " (at least 1)");
        }
        extra = List.copyOf(extra == null ? List.of() : extra);
        for (String e : extra) {
            if (!e.startsWith("-") || e.contains("\n") || e.contains("\r")) {
                throw new IllegalArgumentException("Invalid extra sbatch option '" + e
                        + "': one option per line, starting with '-', e.g. --constraint=a100");
            }
        }
    }

    /** Nothing set: the cluster's defaults. */
    public static SlurmResources none() {
        return new SlurmResources(null, null, null, null, null, null, null, List.of());
    }

    private static void check(String field, String value, Pattern p) {
        if (value != null && !p.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid " + field + " '" + value + "'");
        }
    }

    /** This with {@code field} set to {@code value} (an empty value unsets it; {@code extra} adds a line). */
    public SlurmResources with(String field, String value) {
        String v = value == null || value.isBlank() ? null : value.strip();
        return switch (field.toLowerCase(Locale.ROOT)) {
            case "partition" -> new SlurmResources(v, account, qos, gres, cpus, mem, time, extra);
            case "account" -> new SlurmResources(partition, v, qos, gres, cpus, mem, time, extra);
            case "qos" -> new SlurmResources(partition, account, v, gres, cpus, mem, time, extra);
            case "gres" -> new SlurmResources(partition, account, qos, v, cpus, mem, time, extra);
            case "cpus" -> new SlurmResources(partition, account, qos, gres, v == null ? null : parseCpus(v), mem,
                    time, extra);
            case "mem" -> new SlurmResources(partition, account, qos, gres, cpus, v, time, extra);
            case "time" -> new SlurmResources(partition, account, qos, gres, cpus, mem, v, extra);
            case "extra" -> {
                List<String> e = new ArrayList<>(extra);
                if (v == null) {
                    e.clear();
                } else {
                    e.add(v);
                }
                yield new SlurmResources(partition, account, qos, gres, cpus, mem, time, e);
            }
            default -> throw new IllegalArgumentException("Unknown resource '" + field + "'; known: " + FIELDS);
        };
    }

    private static int parseCpus(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid cpus '" + v + "' (a whole number)");
        }
    }

    /** The sbatch options, in a fixed order, e.g. {@code [--partition=gpu, --cpus-per-task=4]}. */
    public List<String> sbatchOptions() {
        List<String> out = new ArrayList<>();
        add(out, "--partition", partition);
        add(out, "--account", account);
        add(out, "--qos", qos);
        add(out, "--gres", gres);
        add(out, "--cpus-per-task", cpus == null ? null : cpus.toString());
        add(out, "--mem", mem);
        add(out, "--time", time);
        out.addAll(extra);
        return out;
    }

    private static void add(List<String> out, String option, String value) {
        if (value != null) {
            out.add(option + "=" + value);
        }
    }
}
