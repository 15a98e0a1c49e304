package org.parisjava.sched;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parisjava.io.Json;
import org.parisjava.run.RunLayout;

/**
 * Submits a run's pipeline and remembers the job ids in {@code slurm/jobs.json} (every submission,
 * oldest first), which {@code paris status} reads. Only unfinished work is submitted: a done stage
 * is left out, and the experts' arrays cover only the unfinished experts; a dependency on a job
 * that was left out is dropped.
 */
public final class SlurmSubmission {
    public static final String JOBS = "jobs.json";

    /**
     * One submitted job.
     *
     * @param name      the job's name in the pipeline ({@link SlurmJob#name()})
     * @param stage     its stage
     * @param id        Slurm's job id (for an array, the array's id; task k is {@code id_k})
     * @param tasks     the expert indices of an array, else empty
     * @param script    the script submitted
     * @param submitted ISO-8601 time
     */
    public record Submitted(String name, String stage, String id, List<Integer> tasks, String script,
                            String submitted) {
        public Submitted {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }

        /** The Slurm id of expert {@code k}'s task, or of the job itself. */
        public String taskId(int k) {
            return tasks.isEmpty() ? id : id + "_" + k;
        }
    }

    private SlurmSubmission() {
    }

    /**
     * Submits every unfinished job of {@code p} in dependency order; {@code hold} submits them held
     * ({@code scontrol release} starts them). Refuses while earlier jobs of the run are still queued.
     */
    public static List<Submitted> submit(SlurmPipeline p, Slurm slurm, boolean hold) {
        List<Submitted> earlier = read(p.run());
        List<String> alive = slurm.squeue(earlier.stream().map(Submitted::id).distinct().toList()).values().stream()
                .filter(Slurm.JobInfo::alive).map(Slurm.JobInfo::id).toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException("Jobs of " + p.run().root() + " are still queued or running: " + alive
                    + ". Wait for them (paris status --run " + p.run().root() + "), or scancel them first.");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        List<Submitted> out = new ArrayList<>();
        for (SlurmJob j : p.jobs()) {
            List<Integer> todo = p.pendingTasks(j);
            if (todo.isEmpty()) {
                continue;
            }
            List<String> opts = new ArrayList<>();
            if (j.isArray()) {
                opts.add("--array=" + SlurmJob.arraySpec(todo) + (p.parallel() > 0 ? "%" + p.parallel() : ""));
            }
            List<String> deps = j.after().stream().filter(ids::containsKey).map(ids::get).toList();
            if (!deps.isEmpty()) {
                opts.add("--dependency=afterok:" + String.join(":", deps));
            }
            if (hold) {
                opts.add("--hold");
            }
            String id = slurm.sbatch(opts, j.script());
            ids.put(j.name(), id);
            Submitted s = new Submitted(j.name(), j.stage(), id, j.isArray() ? todo : List.of(), j.script().toString(),
                    Instant.now().toString());
            out.add(s);
            List<Submitted> all = new ArrayList<>(read(p.run()));
            all.add(s);
            Json.write(file(p.run()), all); // after every sbatch: a failure later still leaves the ids known
        }
        return out;
    }

    public static Path file(RunLayout run) {
        return SlurmPipeline.slurmDir(run).resolve(JOBS);
    }

    /** Every submission recorded for the run, oldest first (none if it was never submitted). */
    public static List<Submitted> read(RunLayout run) {
        Path f = file(run);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        return List.of(Json.read(f, Submitted[].class));
    }
}
