package org.parisjava.sched;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parisjava.data.ShardManifest;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.io.AtomicFiles;
import org.parisjava.reproduce.Figures;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.TrainingStoppedException;

/**
 * A reproduction as Slurm jobs: the scripts under {@code RUN/slurm/}, one per stage, each calling
 * the project's own CLI on the shared run folder.
 *
 * <pre>
 * cluster ──afterok──▶ experts (array 0..K-1, %P at once) ──┐
 *         ├─afterok──▶ monolith ───────────────────────────┼─afterok──▶ evaluate (classifier,
 *         └─afterok──▶ router (all shards, needs no expert) ┘            strategies, figures)
 * </pre>
 *
 * Experts whose resources differ (say 0-3 on one partition, 4-7 on another) go into one array
 * per set of resources; the evaluation waits for all of them. Every script sources
 * {@code paris-job.sh}, which skips a stage whose outputs exist, forwards {@code SIGUSR1} (sent
 * {@link #SIGNAL_SECONDS} s before the time limit) and {@code SIGTERM} to the trainer, requeues the
 * job when the trainer stopped at a checkpoint (exit {@value TrainingStoppedException#EXIT_CODE}),
 * and records each attempt in {@code slurm/state/STAGE.json}.
 */
public final class SlurmPipeline {
    /** Seconds before the time limit at which Slurm sends SIGUSR1: enough to write a paper-scale checkpoint. */
    public static final int SIGNAL_SECONDS = 90;
    public static final String DIR = "slurm";
    public static final String HELPER = "paris-job.sh";
    public static final String SUBMIT_SCRIPT = "submit.sh";
    public static final String RESOURCES = "resources.conf";
    public static final String LOGS = "logs";
    public static final String STATE = "state";
    /** The text-aware router's folder beside the text-blind one ({@link RunLayout#textAwareRouterDir()}). */
    private static final String ROUTER_TEXT = "router-text";

    private final RunLayout run;
    private final Reproduction.Options options;
    private final List<SlurmJob> jobs;
    private final int parallel;
    private final String parisCommand;

    /**
     * Plans the jobs of {@code run}.
     *
     * @param run          the run folder (made absolute: jobs may start anywhere)
     * @param options      the run's settings (its run.json)
     * @param rules        resource rules (file and options)
     * @param base         resources every job starts from before the rules
     * @param parallel     experts running at once (the array's {@code %P}); 0 = no limit
     * @param parisCommand the shell words that start the paris CLI on the compute nodes
     */
    public SlurmPipeline(RunLayout run, Reproduction.Options options, ResourceRules rules, SlurmResources base,
                         int parallel, String parisCommand) {
        this.run = new RunLayout(run.root().toAbsolutePath().normalize());
        this.options = options;
        this.parallel = parallel;
        this.parisCommand = parisCommand;
        if (parallel < 0) {
            throw new IllegalArgumentException("Invalid --parallel: " + parallel + " (0 = no limit)");
        }
        if (this.run.root().toString().matches(".*[\\s'\"$`\\\\].*")) {
            throw new IllegalArgumentException("Run folder '" + this.run.root() + "': #SBATCH lines cannot hold a path"
                    + " with spaces, quotes, '$' or '\\'; choose a plain path");
        }
        int k = options.preset().coarseClusters();
        if (rules.maxExpertIndex() >= k) {
            throw new IllegalArgumentException("A resource rule names expert " + rules.maxExpertIndex()
                    + ", but the run has K=" + k + " experts (0.." + (k - 1) + ")");
        }
        Path dir = slurmDir(this.run);
        List<SlurmJob> j = new ArrayList<>();
        j.add(new SlurmJob("cluster", "cluster", List.of(), rules.forStage("cluster", base), List.of(),
                dir.resolve("cluster.sbatch")));
        Map<SlurmResources, List<Integer>> groups = new LinkedHashMap<>();
        for (int e = 0; e < k; e++) {
            groups.computeIfAbsent(rules.forExpert(e, base), r -> new ArrayList<>()).add(e);
        }
        List<String> expertJobs = new ArrayList<>();
        for (Map.Entry<SlurmResources, List<Integer>> g : groups.entrySet()) {
            String name = groups.size() == 1 ? "experts"
                    : "experts-" + SlurmJob.arraySpec(g.getValue()).replace(',', '_');
            expertJobs.add(name);
            j.add(new SlurmJob(name, "experts", g.getValue(), g.getKey(), List.of("cluster"),
                    dir.resolve(name + ".sbatch")));
        }
        j.add(new SlurmJob("monolith", "monolith", List.of(), rules.forStage("monolith", base), List.of("cluster"),
                dir.resolve("monolith.sbatch")));
        j.add(new SlurmJob("router", "router", List.of(), rules.forStage("router", base), List.of("cluster"),
                dir.resolve("router.sbatch")));
        List<String> all = new ArrayList<>(expertJobs);
        all.add("monolith");
        all.add("router");
        j.add(new SlurmJob("evaluate", "evaluate", List.of(), rules.forStage("evaluate", base), all,
                dir.resolve("evaluate.sbatch")));
        this.jobs = List.copyOf(j);
    }

    public static Path slurmDir(RunLayout run) {
        return run.root().resolve(DIR);
    }

    public RunLayout run() {
        return run;
    }

    public List<SlurmJob> jobs() {
        return jobs;
    }

    public int parallel() {
        return parallel;
    }

    // ---- what "done" means, as files relative to the run folder (the scripts test the same) ----

    /** Files whose existence means {@code stage} (for experts: expert {@code k}) is complete. */
    public static List<String> doneFiles(Reproduction.Options o, String stage, int k) {
        Preset p = o.preset();
        return switch (stage) {
            case "cluster" -> {
                List<String> f = new ArrayList<>();
                f.add("clustering/clustering.json");
                boolean latents = !o.latent().equals(LatentCodecs.IDENTITY); // encoded once by the cluster stage
                for (int c = 0; c < p.coarseClusters(); c++) {
                    f.add("shards/" + RunLayout.clusterName(c) + "/" + ShardManifest.FILE);
                    if (latents) {
                        f.add("shards/" + RunLayout.clusterName(c) + "/" + ShardManifest.LATENTS);
                    }
                }
                yield f;
            }
            case "experts" -> List.of(finalCheckpoint("experts/" + RunLayout.clusterName(k), o.expertOptions().steps()));
            case "monolith" -> List.of(finalCheckpoint("monolith", o.monolithOptions().steps()));
            case "router" -> {
                List<String> f = new ArrayList<>(List.of("router/" + RouterTrainer.ACCURACY,
                        finalCheckpoint("router", o.routerOptions().steps())));
                if (o.comparesRouters()) { // --router both: the text-aware router beside the text-blind one
                    f.add(ROUTER_TEXT + "/" + RouterTrainer.ACCURACY);
                    f.add(finalCheckpoint(ROUTER_TEXT, o.routerOptions().steps()));
                }
                yield f;
            }
            case "evaluate" -> List.of("eval/results.json", "figures/" + Figures.RESULTS_CSV);
            default -> throw new IllegalArgumentException("Unknown stage '" + stage + "'");
        };
    }

    private static String finalCheckpoint(String dir, int steps) {
        return String.format(Locale.ROOT, "%s/%s/step-%08d/%s", dir, FlowTrainer.CHECKPOINTS, steps, Checkpoint.INFO);
    }

    /** Whether every done-file of the stage exists in {@code run}. */
    public static boolean isDone(RunLayout run, Reproduction.Options o, String stage, int k) {
        return doneFiles(o, stage, k).stream().allMatch(f -> Files.exists(run.root().resolve(f)));
    }

    /** The tasks of {@code job} still to run (for a single job: [0] or empty). */
    public List<Integer> pendingTasks(SlurmJob job) {
        if (job.isArray()) {
            return job.tasks().stream().filter(k -> !isDone(run, options, "experts", k)).toList();
        }
        return isDone(run, options, job.stage(), 0) ? List.of() : List.of(0);
    }

    // ---- the scripts ----

    /** Writes the helper, every job script and submit.sh under {@code RUN/slurm/}; returns the files. */
    public List<Path> writeScripts() {
        Path dir = slurmDir(run);
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir.resolve(LOGS));
            Files.createDirectories(dir.resolve(STATE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        out.add(write(dir.resolve(HELPER), helper()));
        for (SlurmJob j : jobs) {
            out.add(write(j.script(), script(j)));
        }
        out.add(write(dir.resolve(SUBMIT_SCRIPT), submitScript()));
        return out;
    }

    private static Path write(Path f, String text) {
        AtomicFiles.writeString(f, text);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX filesystem: sbatch reads the script anyway
        }
        return f;
    }

    /** Shell single-quoting. */
    static String q(String s) {
        if (s.matches("[A-Za-z0-9_./:=,+@%-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    String helper() {
        return """
                # paris-job.sh: sourced by every job script of this run (written by `paris submit`).
                # It runs one stage of the pipeline on the shared run folder:
                #  - skips the stage when its outputs already exist (every job is idempotent);
                #  - runs the paris CLI in the background and passes SIGUSR1 on to it (Slurm sends it to this
                #    shell %1$d s before the time limit, --signal=B:USR1@%1$d); SIGUSR1 and SIGTERM (scancel)
                #    make a trainer write a checkpoint at once and exit with %2$d;
                #  - requeues the job after such a stop (the requeued job resumes from that checkpoint);
                #  - records every attempt in slurm/state/STAGE.json, which `paris status` reads.

                RUN=%3$s
                STATE_DIR="$RUN/slurm/state"
                STOPPED_AT_CHECKPOINT=%2$d

                # One PyTorch/OpenMP thread per CPU Slurm gave the task; idle OpenMP threads sleep, not spin.
                THREADS=${SLURM_CPUS_PER_TASK:-1}
                export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=$THREADS
                export PARIS_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1 ${PARIS_JAVA_OPTS:-}"

                # The paris CLI on the compute nodes (edit if it lives elsewhere there). `exec` makes
                # `paris ... &` the java process itself, so that signals reach it.
                paris() { exec %4$s "$@"; }

                job_id() {
                  if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then echo "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                  else echo "${SLURM_JOB_ID:-none}"; fi
                }

                # record STAGE STATE [EXIT_CODE]: slurm/state/STAGE.json, replaced atomically
                record() {
                  mkdir -p "$STATE_DIR"
                  local f="$STATE_DIR/$1.json"
                  printf '{"stage": "%%s", "state": "%%s", "exitCode": %%s, "job": "%%s", "host": "%%s", "log": "%%s", "restarts": %%s, "time": "%%s"}\\n' \\
                    "$1" "$2" "${3:-null}" "$(job_id)" "${SLURMD_NODENAME:-$(hostname)}" "${LOG:-}" "${SLURM_RESTART_COUNT:-0}" \\
                    "$(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)" > "$f.$$" && mv -f "$f.$$" "$f"
                }

                # run_stage STAGE DONE_FILE... -- COMMAND...
                run_stage() {
                  local stage=$1 done=1 pid rc interrupted stopping=0
                  shift
                  while [ "$1" != "--" ]; do [ -e "$RUN/$1" ] || done=0; shift; done
                  shift
                  if [ $done = 1 ]; then
                    echo "$stage: already done, nothing to do"
                    record "$stage" done 0
                    return 0
                  fi
                  echo "$stage: job $(job_id) on ${SLURMD_NODENAME:-$(hostname)}, attempt $((${SLURM_RESTART_COUNT:-0} + 1)), $(date -u +%%FT%%TZ)"
                  record "$stage" running
                  # USR1 (--signal=B:...) reaches this shell only: pass it on. TERM (scancel, the time
                  # limit) reaches every process of the job: just outlive the trainer to record its end.
                  trap 'interrupted=1; stopping=1; kill -USR1 "$pid" 2>/dev/null' USR1
                  trap 'interrupted=1' TERM
                  "$@" &
                  pid=$!
                  while :; do  # a trapped signal ends `wait` early: wait again for the trainer's own exit
                    interrupted=0
                    wait "$pid"
                    rc=$?
                    [ "$interrupted" = 1 ] || break
                  done
                  trap - USR1 TERM
                  if [ $rc = 0 ]; then
                    record "$stage" done 0
                    echo "$stage: done, $(date -u +%%FT%%TZ)"
                    return 0
                  fi
                  if [ $stopping = 1 ]; then  # SIGUSR1: the time limit or a preemption is near
                    record "$stage" requeued $rc
                    echo "$stage: stopped (exit $rc); requeueing $(job_id) to resume"
                    scontrol requeue "$(job_id)" && exit 0
                  fi
                  if [ $rc = $STOPPED_AT_CHECKPOINT ]; then  # SIGTERM (scancel): stopped at a checkpoint
                    record "$stage" stopped $rc
                    echo "$stage: stopped at a checkpoint; submit the job again to resume"
                    exit $rc
                  fi
                  record "$stage" failed $rc
                  echo "$stage: FAILED with exit code $rc; log $LOG" >&2
                  exit $rc
                }
                """.formatted(SIGNAL_SECONDS, TrainingStoppedException.EXIT_CODE, q(run.root().toString()),
                parisCommand);
    }

    String script(SlurmJob j) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        String runName = run.root().getFileName().toString();
        s.append("# Paris run ").append(run.root()).append(": ").append(describe(j)).append('\n');
        s.append("# Written by `paris submit`; jobs whose stage is done exit at once, so it is safe to resubmit:\n");
        s.append("#   sbatch ").append(j.isArray() ? "--array=" + SlurmJob.arraySpec(j.tasks().subList(0, 1)) + " " : "")
                .append(j.script()).append(j.isArray() ? "   (expert " + j.tasks().get(0) + " only)" : "").append('\n');
        List<String> opts = new ArrayList<>();
        opts.add("--job-name=paris-" + sanitize(runName) + "-" + j.name());
        if (j.isArray()) {
            opts.add("--array=" + SlurmJob.arraySpec(j.tasks()) + (parallel > 0 ? "%" + parallel : ""));
        }
        opts.addAll(j.resources().sbatchOptions());
        String logs = slurmDir(run).resolve(LOGS).toString();
        opts.add("--output=" + logs + "/" + j.name() + (j.isArray() ? "-%A_%a.out" : "-%j.out"));
        opts.add("--open-mode=append");
        opts.add("--signal=B:USR1@" + SIGNAL_SECONDS);
        opts.add("--requeue");
        for (String o : opts) {
            s.append("#SBATCH ").append(o).append('\n');
        }
        s.append("\nsource ").append(q(slurmDir(run).resolve(HELPER).toString())).append('\n');
        s.append(j.isArray()
                ? "LOG=\"$RUN/slurm/logs/" + j.name() + "-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.out\"\n"
                : "LOG=\"$RUN/slurm/logs/" + j.name() + "-$SLURM_JOB_ID.out\"\n");
        s.append('\n');
        // every job reads the run's settings (text encoder, latent codec, features, router, evaluation features,
        // device) from run.json through `paris run-stage`, which runs the stage as `paris reproduce` does
        Reproduction.Options o = options;
        switch (j.stage()) {
            case "cluster" -> s.append("run_stage cluster ").append(String.join(" ", doneFiles(o, "cluster", 0)))
                    .append(" -- \\\n    paris run-stage --run \"$RUN\" cluster --threads \"$THREADS\"\n");
            case "experts" -> {
                String done = doneFiles(o, "experts", 0).get(0).replace(RunLayout.clusterName(0), "$C");
                s.append("K=$SLURM_ARRAY_TASK_ID\n");
                s.append("C=$(printf 'cluster-%02d' \"$K\")   # expert K reads shards/$C only, writes experts/$C only\n");
                s.append("run_stage \"expert-$(printf %02d \"$K\")\" \"").append(done).append("\" -- \\\n")
                        .append("    paris run-stage --run \"$RUN\" experts --cluster \"$K\" --threads \"$THREADS\"\n");
            }
            case "monolith" -> s.append("run_stage monolith ").append(String.join(" ", doneFiles(o, "monolith", 0)))
                    .append(" -- \\\n    paris run-stage --run \"$RUN\" monolith --threads \"$THREADS\"\n");
            case "router" -> s.append("run_stage router ").append(String.join(" ", doneFiles(o, "router", 0)))
                    .append(" -- \\\n    paris run-stage --run \"$RUN\" router --threads \"$THREADS\"\n");
            case "evaluate" -> s.append("run_stage evaluate ").append(String.join(" ", doneFiles(o, "evaluate", 0)))
                    .append(" -- \\\n    paris run-stage --run \"$RUN\" evaluate --threads \"$THREADS\"\n");
            default -> throw new IllegalStateException(j.stage());
        }
        return s.toString();
    }

    private String describe(SlurmJob j) {
        int k = options.preset().coarseClusters();
        return switch (j.stage()) {
            case "cluster" -> "stage cluster.\n# Reads the dataset (" + options.datasetSpec() + "); writes clustering/ and"
                    + " shards/cluster-XX/ (one shard per expert).";
            case "experts" -> "experts " + SlurmJob.arraySpec(j.tasks()) + " of K=" + k
                    + ", one array task each.\n# Task k reads run.json and shards/cluster-k; writes experts/cluster-k/"
                    + " (checkpoints, loss.csv).";
            case "monolith" -> "stage monolith (the baseline, the K experts' total compute).\n# Reads run.json and"
                    + " every shard; writes monolith/.";
            case "router" -> "stage router (after clustering; needs no expert).\n# Reads run.json and every shard;"
                    + " writes router/.";
            case "evaluate" -> "evaluation classifier, every strategy, figures and table.\n# Reads everything above;"
                    + " writes eval/ and figures/.";
            default -> j.stage();
        };
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    String submitScript() {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# Submits the whole pipeline of ").append(run.root()).append(" again, as `paris submit` did\n");
        s.append("# (which also skips finished stages and experts). Jobs whose stage is done exit at once.\n");
        s.append("set -euo pipefail\ncd ").append(q(slurmDir(run).toString())).append('\n');
        for (SlurmJob j : jobs) {
            String var = j.name().replace('-', '_');
            s.append(var).append("=$(sbatch --parsable");
            if (!j.after().isEmpty()) {
                s.append(" --dependency=afterok");
                for (String a : j.after()) {
                    s.append(":${").append(a.replace('-', '_')).append("%%;*}");
                }
            }
            s.append(' ').append(j.script().getFileName()).append(")\n");
        }
        s.append("echo \"submitted:");
        for (SlurmJob j : jobs) {
            s.append(' ').append(j.name()).append(" ${").append(j.name().replace('-', '_')).append("%%;*}");
        }
        s.append("\"\n");
        return s.toString();
    }
}
