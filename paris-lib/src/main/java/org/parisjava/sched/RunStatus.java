package org.parisjava.sched;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parisjava.io.Json;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.LossLog;
import org.parisjava.train.TrainingHost;

/**
 * Where every stage and expert of a run stands, from its folder and, when the run was submitted
 * to Slurm and the client answers, from {@code squeue} and {@code sacct}. Works for local runs
 * too: then a training whose loss.csv changed in the last {@link #FRESH} counts as running.
 */
public final class RunStatus {
    /** A loss.csv written within this long means its training is running (local runs). */
    public static final Duration FRESH = Duration.ofSeconds(90);

    /** The states a row can be in. */
    public enum State {
        PENDING, RUNNING, DONE, STOPPED, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One stage or expert.
     *
     * @param name            {@code cluster}, {@code expert 3}, {@code monolith}, {@code router}, {@code evaluate}
     * @param state           where it stands
     * @param step            optimizer steps done (training stages), else -1
     * @param steps           steps it trains for, else -1
     * @param lastLoss        loss of the last logged window, else NaN
     * @param imagesPerSecond throughput of the last logged window, else NaN
     * @param host            where it runs or ran (from the job or the checkpoint), or null
     * @param job             its Slurm job id, or null
     * @param detail          the scheduler's reason, a failure's exit code and log path, or null
     */
    public record Row(String name, State state, long step, long steps, double lastLoss, double imagesPerSecond,
                      String host, String job, String detail) {
    }

    /** What a job script wrote to slurm/state/STAGE.json. */
    record JobState(String stage, String state, Integer exitCode, String job, String host, String log, int restarts,
                    String time) {
    }

    private RunStatus() {
    }

    /** The rows of {@code run}; {@code slurm} may be null (no scheduler: the folder alone). */
    public static List<Row> of(RunLayout run, Slurm slurm) {
        Reproduction.Options o = Reproduction.fromRun(run);
        int k = o.preset().coarseClusters();
        List<SlurmSubmission.Submitted> submitted = SlurmSubmission.read(run);
        Map<String, String> jobOf = new HashMap<>(); // row key -> newest Slurm id
        for (SlurmSubmission.Submitted s : submitted) {
            if (s.stage().equals("experts")) {
                s.tasks().forEach(t -> jobOf.put(key("experts", t), s.taskId(t)));
            } else {
                jobOf.put(key(s.stage(), 0), s.id());
            }
        }
        Map<String, Slurm.JobInfo> live = Map.of();
        Map<String, Slurm.JobInfo> accounted = Map.of();
        if (slurm != null && !jobOf.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>();
            submitted.forEach(s -> ids.add(s.id()));
            try {
                live = slurm.squeue(ids);
                Set<String> unknown = new LinkedHashSet<>(jobOf.values());
                unknown.removeAll(live.keySet());
                accounted = unknown.isEmpty() ? Map.of() : slurm.sacct(unknown);
            } catch (IllegalStateException e) {
                live = Map.of(); // no client here: the folder alone
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(row(run, o, "cluster", 0, "cluster", null, -1, jobOf, live, accounted));
        for (int e = 0; e < k; e++) {
            rows.add(row(run, o, "experts", e, "expert " + e, run.expertDir(e), o.expertOptions().steps(), jobOf, live,
                    accounted));
        }
        rows.add(row(run, o, "monolith", 0, "monolith", run.monolithDir(), o.monolithOptions().steps(), jobOf, live,
                accounted));
        rows.add(row(run, o, "router", 0, "router", run.routerDir(), o.routerOptions().steps(), jobOf, live,
                accounted));
        rows.add(row(run, o, "evaluate", 0, "evaluate", null, -1, jobOf, live, accounted));
        return rows;
    }

    private static String key(String stage, int k) {
        return stage.equals("experts") ? "expert-" + String.format(Locale.ROOT, "%02d", k) : stage;
    }

    private static Row row(RunLayout run, Reproduction.Options o, String stage, int k, String name, Path trainDir,
                           long steps, Map<String, String> jobOf, Map<String, Slurm.JobInfo> live,
                           Map<String, Slurm.JobInfo> accounted) {
        String key = key(stage, k);
        long step = -1;
        double loss = Double.NaN;
        double ips = Double.NaN;
        String host = null;
        String device = null;
        Instant lossWritten = null;
        if (trainDir != null) {
            Path csv = trainDir.resolve(LossLog.FILE);
            if (Files.isRegularFile(csv)) {
                double[] last = lastRow(csv);
                if (last != null) {
                    step = (long) last[0];
                    loss = last[1];
                    ips = last[3];
                }
                lossWritten = modified(csv);
            }
            Optional<Checkpoint> c = Checkpoint.latest(trainDir.resolve(FlowTrainer.CHECKPOINTS));
            if (c.isPresent()) {
                step = Math.max(step, c.get().info().step());
                TrainingHost h = c.get().info().lastHost();
                if (h != null) {
                    host = h.host();
                    device = h.device();
                }
            }
        }
        JobState js = readState(run, key);
        if (js != null && host == null) {
            host = js.host();
        }
        String job = jobOf.get(key);
        Slurm.JobInfo info = job == null ? null : live.getOrDefault(job, accounted.get(job));
        if (info != null && info.state().equals("RUNNING") && info.node() != null && !info.node().isBlank()) {
            host = info.node(); // where it runs now (the checkpoint may come from an earlier attempt)
        }
        if (host != null && device != null) {
            host = host + " " + device;
        }
        State state;
        String detail = null;
        if (SlurmPipeline.isDone(run, o, stage, k)) {
            state = State.DONE;
        } else if (info != null) {
            switch (info.state()) {
                case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED" -> {
                    state = State.PENDING;
                    detail = info.reason() == null || info.reason().equals("None") ? null : info.reason();
                    if (js != null && js.restarts() > 0) {
                        detail = (detail == null ? "" : detail + ", ") + "requeued " + js.restarts() + "x";
                    }
                }
                case "RUNNING", "CONFIGURING", "COMPLETING", "SIGNALING", "STAGE_OUT" -> state = State.RUNNING;
                default -> {
                    if (js != null && js.state().equals("stopped")) {
                        state = State.STOPPED;
                        detail = info.state() + ", stopped at a checkpoint: submit again to resume";
                        break;
                    }
                    state = State.FAILED;
                    detail = info.state() + (info.exitCode() != null ? " exit " + info.exitCode() : "")
                            + (js != null && js.log() != null ? ", log " + js.log() : "");
                }
            }
        } else if (js != null && js.state().equals("stopped")) {
            state = State.STOPPED;
            detail = "stopped at a checkpoint: submit again to resume";
        } else if (js != null && js.state().equals("failed")) {
            state = State.FAILED;
            detail = "exit " + js.exitCode() + ", log " + js.log();
        } else if (js != null && js.state().equals("running") && job != null && !live.isEmpty()) {
            state = State.FAILED; // the scheduler no longer knows a job that never recorded its end
            detail = "job " + js.job() + " ended without finishing, log " + js.log();
        } else if (lossWritten != null && Duration.between(lossWritten, Instant.now()).compareTo(FRESH) < 0) {
            state = State.RUNNING;
        } else if (step > 0) {
            state = State.STOPPED;
            detail = "resumes from its checkpoint when run again";
        } else {
            state = State.PENDING;
        }
        return new Row(name, state, step, steps, loss, ips, host, job, detail);
    }

    static JobState readState(RunLayout run, String key) {
        Path f = SlurmPipeline.slurmDir(run).resolve(SlurmPipeline.STATE).resolve(key + ".json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonObject j = Json.read(f, JsonObject.class);
            return Json.gson().fromJson(j, JobState.class);
        } catch (IllegalArgumentException e) {
            return null; // being replaced right now: the next look sees it
        }
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stat " + f, e);
        }
    }

    /** The last data row of a loss.csv: step, loss, lr, images/s. */
    static double[] lastRow(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("step")) {
                    continue;
                }
                String[] f = l.split(",");
                if (f.length < 4) {
                    continue; // a row being written
                }
                return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3])};
            }
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
