package org.parisjava.sched;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm client commands this project uses, run as processes: {@code sbatch} to submit,
 * {@code squeue} for live jobs, {@code sacct} for finished ones (when the cluster keeps
 * accounting), {@code scontrol} for one job's details. {@code env} is added to the commands'
 * environment (e.g. {@code SLURM_CONF} for a private cluster).
 */
public final class Slurm {
    private static final long TIMEOUT_SECONDS = 60;
    private final Map<String, String> env;

    public Slurm(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** With the caller's environment. */
    public static Slurm fromEnvironment() {
        return new Slurm(Map.of());
    }

    /** One job (or array task) as the scheduler sees it. */
    public record JobInfo(String id, String state, String reason, String node, String exitCode) {
        public boolean alive() {
            return switch (state) {
                case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
                     "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "RESV_DEL_HOLD", "STOPPED" -> true;
                default -> false;
            };
        }
    }

    /** The output of a finished command. */
    record Output(int code, String out, String err) {
    }

    /** Whether the Slurm client is installed and answers ({@code sbatch --version}). */
    public boolean available() {
        try {
            return run(List.of("sbatch", "--version")).code() == 0;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Submits {@code script} with {@code options} (before the script name, overriding its
     * {@code #SBATCH} lines); returns the job id.
     */
    public String sbatch(List<String> options, Path script) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(options);
        cmd.add(script.toString());
        Output o = run(cmd);
        if (o.code() != 0) {
            throw new IllegalStateException("sbatch failed for " + script + " (exit " + o.code() + "): "
                    + o.err().strip());
        }
        String id = o.out().strip();
        int semi = id.indexOf(';');
        id = semi >= 0 ? id.substring(0, semi) : id;
        if (!id.matches("[0-9]+")) {
            throw new IllegalStateException("sbatch printed no job id for " + script + ": '" + o.out().strip() + "'");
        }
        return id;
    }

    /**
     * Live (and recently finished) jobs among {@code ids}, array tasks one by one, by id
     * ({@code 123} or {@code 123_4}). Jobs the controller no longer knows are absent.
     */
    public Map<String, JobInfo> squeue(Collection<String> ids) {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Output o = run(List.of("squeue", "-h", "-r", "-t", "all", "-j", String.join(",", ids),
                "-o", "%i|%T|%r|%N"));
        if (o.code() != 0) {
            // squeue fails outright when one id is unknown: ask one by one
            if (ids.size() > 1) {
                for (String id : ids) {
                    out.putAll(squeue(List.of(id)));
                }
            }
            return out;
        }
        for (String line : o.out().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length >= 4 && !f[0].isEmpty()) {
                out.put(f[0], new JobInfo(f[0], f[1], f[2], f[3], null));
            }
        }
        return out;
    }

    /** Finished jobs from accounting, or nothing when the cluster keeps none (sacct fails). */
    public Map<String, JobInfo> sacct(Collection<String> ids) {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Output o;
        try {
            o = run(List.of("sacct", "-n", "-P", "-X", "-j", String.join(",", ids),
                    "-o", "JobID,State,Reason,NodeList,ExitCode"));
        } catch (IllegalStateException e) {
            return out;
        }
        if (o.code() != 0) {
            return out;
        }
        for (String line : o.out().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length >= 5 && !f[0].isEmpty()) {
                String state = f[1].split(" ")[0];
                out.put(f[0], new JobInfo(f[0], state, f[2], f[3], f[4]));
            }
        }
        return out;
    }

    /** {@code scontrol show job ID} as KEY=VALUE pairs (the first of each key). */
    public Map<String, String> showJob(String id) {
        Output o = run(List.of("scontrol", "show", "job", id));
        if (o.code() != 0) {
            throw new IllegalStateException("scontrol show job " + id + " failed: " + o.err().strip());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String token : o.out().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return out;
    }

    /** Runs one client command; throws if it cannot start or hangs. */
    Output run(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var err = new java.io.ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd.get(0) + " did not answer in " + TIMEOUT_SECONDS + " s");
            }
            t.join();
            return new Output(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + cmd.get(0) + " (is the Slurm client installed?): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + cmd.get(0), e);
        }
    }
}
