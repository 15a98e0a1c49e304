package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShardWriter;
import org.parisjava.io.Json;
import org.parisjava.run.RunLayout;
import org.parisjava.sched.Slurm;
import org.parisjava.sched.SlurmPipeline;
import org.parisjava.sched.SlurmSubmission;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.CheckpointInfo;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.TrainingHost;

/**
 * {@code paris submit} and {@code paris status} on a real single-node Slurm started for these
 * tests ({@link SlurmTestCluster}). Without root or the Debian packages they are skipped, with
 * the reason shown.
 */
class SlurmSubmitTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    static Path tmp;
    private static SlurmTestCluster cluster;
    private static String skipped;

    @BeforeAll
    static void startCluster() throws Exception {
        Optional<String> why = SlurmTestCluster.unavailable();
        if (why.isPresent()) {
            skipped = why.get();
            System.err.println("SlurmSubmitTest SKIPPED: " + skipped);
            return;
        }
        cluster = SlurmTestCluster.start(tmp.resolve("slurm-cluster"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void needCluster() {
        assumeTrue(cluster != null, () -> "Slurm tests skipped: " + skipped);
    }

    // ---- per-stage and per-expert resources ----

    @Test
    void dryRunWritesScriptsAndPerExpertResourcesReachSlurm() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("resources-run"));
        Path slurmDir = SlurmPipeline.slurmDir(run);
        Files.createDirectories(slurmDir);
        Files.writeString(slurmDir.resolve(SlurmPipeline.RESOURCES), String.join("\n",
                "# the test cluster has partitions debug (default) and long",
                "default.time = 00:30:00",
                "experts.mem = 700M",
                "experts[1].partition = long",
                "experts[1].cpus = 2",
                "experts[1].time = 01:00:00",
                "experts[1].extra = --comment=expert-one",
                "router.account = lab-a", ""));
        CliResult dry = paris("submit", "--run", run.root().toString(), "--preset", "tiny", "--seed", "3",
                "--cpus", "1", "--mem", "500M", "--dry-run");
        assertEquals(0, dry.code(), dry.output());
        assertFalse(Files.exists(SlurmSubmission.file(run)), "--dry-run submits nothing");
        String expert1 = Files.readString(slurmDir.resolve("experts-1.sbatch"));
        assertTrue(expert1.contains("#SBATCH --partition=long\n") && expert1.contains("#SBATCH --cpus-per-task=2\n")
                && expert1.contains("#SBATCH --comment=expert-one\n") && expert1.contains("#SBATCH --array=1\n")
                && expert1.contains("#SBATCH --signal=B:USR1@90\n") && expert1.contains("#SBATCH --requeue\n"), expert1);
        assertTrue(Files.exists(slurmDir.resolve(SlurmPipeline.SUBMIT_SCRIPT)));

        CliResult sub = paris("submit", "--run", run.root().toString(), "--cpus", "1", "--mem", "500M", "--hold");
        assertEquals(0, sub.code(), sub.output());
        List<SlurmSubmission.Submitted> jobs = SlurmSubmission.read(run);
        assertEquals(List.of("cluster", "experts-0", "experts-1", "monolith", "router", "evaluate"),
                jobs.stream().map(SlurmSubmission.Submitted::name).toList());
        try {
            Slurm slurm = cluster.client();
            Map<String, String> e0 = slurm.showJob(id(jobs, "experts-0"));
            Map<String, String> e1 = slurm.showJob(id(jobs, "experts-1"));
            assertEquals("debug", e0.get("Partition"));
            assertEquals("long", e1.get("Partition"));
            assertEquals("00:30:00", e0.get("TimeLimit"));
            assertEquals("01:00:00", e1.get("TimeLimit"));
            assertEquals("1", e0.get("CPUs/Task"));
            assertEquals("2", e1.get("CPUs/Task"));
            assertEquals("700M", e0.get("MinMemoryNode"));
            assertEquals("expert-one", e1.get("Comment"));
            assertEquals("0", e0.get("ArrayTaskId"));
            assertEquals("1", e1.get("ArrayTaskId"));
            Map<String, String> router = slurm.showJob(id(jobs, "router"));
            assertEquals("lab-a", router.get("Account"));
            assertEquals("500M", router.get("MinMemoryNode"));
            assertEquals("afterok:" + id(jobs, "cluster") + "(unfulfilled)", router.get("Dependency"));
            Map<String, String> eval = slurm.showJob(id(jobs, "evaluate"));
            for (String dep : List.of("experts-0", "experts-1", "monolith", "router")) {
                assertTrue(eval.get("Dependency").contains(id(jobs, dep)), dep + " in " + eval.get("Dependency"));
            }
            CliResult status = paris("status", "--run", run.root().toString());
            assertTrue(status.output().contains("pending"), status.output());
            CliResult again = paris("submit", "--run", run.root().toString());
            assertTrue(again.code() != 0 && again.output().contains("still queued"), again.output());
        } finally {
            scancel(jobs.stream().map(SlurmSubmission.Submitted::id).toArray(String[]::new));
        }
    }

    // ---- the whole pipeline through Slurm equals the local run ----

    @Test
    void tinyReproductionThroughSlurmEndsWithTheLocalRunsResults() throws Exception {
        RunLayout viaSlurm = new RunLayout(tmp.resolve("via-slurm"));
        CliResult sub = paris("submit", "--run", viaSlurm.root().toString(), "--preset", "tiny", "--seed", "11",
                "--parallel", "2", "--cpus", "1", "--mem", "1G");
        assertEquals(0, sub.code(), sub.output());
        List<SlurmSubmission.Submitted> jobs = SlurmSubmission.read(viaSlurm);
        assertEquals(5, jobs.size(), jobs.toString());

        // meanwhile the same reproduction locally, in one process with one PyTorch thread as each job has
        // (bit-identical floats need the same thread count; other counts agree to rounding)
        RunLayout local = new RunLayout(tmp.resolve("local"));
        CliResult localRun = paris(List.of("-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"),
                "reproduce", "--preset", "tiny", "--seed", "11", "--out", local.root().toString(), "--in-process");
        assertEquals(0, localRun.code(), localRun.output());

        waitForJobs(jobs.stream().map(SlurmSubmission.Submitted::id).toList(), viaSlurm);
        CliResult status = paris("status", "--run", viaSlurm.root().toString());
        assertEquals(0, status.code(), status.output() + "\n" + log(viaSlurm));
        assertEquals(6, status.output().lines().filter(l -> l.matches("\\S+( \\d)?\\s+done\\b.*")).count(),
                status.output() + "\n" + log(viaSlurm));

        for (int k = 0; k < 2; k++) {
            String ck = "experts/cluster-0" + k + "/checkpoints/step-00000012/";
            assertSameBytes(local, viaSlurm, ck + Checkpoint.MODEL);
            assertSameBytes(local, viaSlurm, ck + Checkpoint.EMA);
            CheckpointInfo info = Json.read(viaSlurm.root().resolve(ck + Checkpoint.INFO), CheckpointInfo.class);
            TrainingHost h = info.lastHost();
            assertNotNull(h, "the checkpoint records where it trained");
            assertEquals("localhost", h.host());
            assertEquals(id(jobs, "experts") + "_" + k, h.slurmJob());
            assertTrue(h.device().startsWith("cpu") && h.java().contains(System.getProperty("java.version")), h.toString());
        }
        assertSameBytes(local, viaSlurm, "monolith/checkpoints/step-00000024/" + Checkpoint.EMA);
        assertSameBytes(local, viaSlurm, "router/checkpoints/step-00000012/" + Checkpoint.EMA);
        assertEquals(Files.readString(local.root().resolve("router/accuracy.json")),
                Files.readString(viaSlurm.root().resolve("router/accuracy.json")));
        // idempotent: nothing left to submit, and a done expert's job exits at once, touching nothing
        CliResult again = paris("submit", "--run", viaSlurm.root().toString());
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("every stage is done: nothing to submit"), again.output());
        Path final1 = viaSlurm.root().resolve("experts/cluster-01/checkpoints/step-00000012/" + Checkpoint.MODEL);
        var before = Files.getLastModifiedTime(final1);
        String rerun = cluster.client().sbatch(List.of("--array=1"),
                SlurmPipeline.slurmDir(viaSlurm).resolve("experts.sbatch")) + "_1";
        waitForJobs(List.of(rerun), viaSlurm);
        assertEquals("COMPLETED", cluster.client().showJob(rerun).get("JobState"));
        assertTrue(log(viaSlurm).contains("expert-01: already done, nothing to do"), log(viaSlurm));
        assertEquals(before, Files.getLastModifiedTime(final1));

        // same samples, routing, adherence and costs exactly; the quality numbers (FD, KID, intervals) go
        // through OpenBLAS and LAPACK, whose own thread count may differ from the jobs': equal to 1e-6
        // (relative; the held-out real images' covariance is the worst conditioned)
        JsonObject a = Json.read(local.evalDir().resolve("results.json"), JsonObject.class);
        JsonObject b = Json.read(viaSlurm.evalDir().resolve("results.json"), JsonObject.class);
        List<Double> fdA = frechetDistances(a);
        List<Double> fdB = frechetDistances(b);
        assertEquals(fdA.size(), fdB.size());
        assertTrue(fdA.size() >= 5, "one per strategy at least: " + fdA);
        for (int i = 0; i < fdA.size(); i++) {
            assertEquals(fdA.get(i), fdB.get(i), 1e-6 * Math.max(1, Math.abs(fdA.get(i))), "quality number " + i);
        }
        assertEquals(a, b, "same strategies, same numbers");
    }

    /** The Frechet distances of results.json, removed from it with the wall times. */
    /**
     * Takes the Frechet distances in the full feature space out of a results.json (strategies and
     * controls): they go through OpenBLAS's matrix square root, whose thread count may differ.
     */
    private static List<Double> frechetDistances(JsonObject results) {
        List<Double> out = new ArrayList<>();
        for (String section : List.of("results", "controls")) {
            if (!results.has(section)) {
                continue;
            }
            for (JsonElement e : results.getAsJsonArray(section)) {
                JsonObject r = e.getAsJsonObject();
                r.remove("seconds");
                if (r.has("frechetDistance")) {
                    out.add(r.remove("frechetDistance").getAsDouble());
                }
                if (r.has("quality")) { // FD, KID and their intervals: every number, compared with a tolerance
                    numbers(r.remove("quality"), out);
                }
            }
        }
        return out;
    }

    private static void numbers(JsonElement e, List<Double> out) {
        if (e.isJsonObject()) {
            for (var kv : new java.util.TreeMap<>(e.getAsJsonObject().asMap()).entrySet()) {
                numbers(kv.getValue(), out);
            }
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> numbers(x, out));
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            out.add(e.getAsDouble());
        }
    }

    // ---- cancel and resubmit; USR1 before the time limit and requeue ----

    @Test
    void expertCancelledMidTrainingAndResubmittedEndsBitIdentical() throws Exception {
        RunLayout run = smokeExpertRun("cancelled");
        Path reference = referenceExpert();
        Path script = SlurmPipeline.slurmDir(run).resolve("experts.sbatch");
        String first = cluster.client().sbatch(List.of("--array=0"), script) + "_0";
        Path ckDir = run.expertDir(0).resolve(FlowTrainer.CHECKPOINTS);
        waitUntil("a first checkpoint", () -> Files.exists(ckDir.resolve("step-00000015")));
        scancel(first);
        waitForJobs(List.of(first), null);
        assertEquals("CANCELLED", cluster.client().showJob(first).get("JobState"));
        long stoppedAt = Checkpoint.latest(ckDir).orElseThrow().info().step();
        assertTrue(stoppedAt > 15 && stoppedAt < 60, "SIGTERM mid-training leaves a checkpoint of the step reached,"
                + " got step " + stoppedAt + "\n" + log(run));
        JsonObject state = Json.read(SlurmPipeline.slurmDir(run).resolve("state/expert-00.json"), JsonObject.class);
        assertEquals("stopped", state.get("state").getAsString());
        assertEquals(75, state.get("exitCode").getAsInt());

        String second = cluster.client().sbatch(List.of("--array=0"), script) + "_0";
        waitForJobs(List.of(second), null);
        Checkpoint end = Checkpoint.latest(ckDir).orElseThrow();
        assertEquals(60, end.info().step(), log(run));
        assertArrayEquals(Files.readAllBytes(reference.resolve(Checkpoint.MODEL)),
                Files.readAllBytes(end.dir().resolve(Checkpoint.MODEL)), "resumed expert ends bit-identical");
        assertArrayEquals(Files.readAllBytes(reference.resolve(Checkpoint.EMA)),
                Files.readAllBytes(end.dir().resolve(Checkpoint.EMA)));
        assertArrayEquals(Files.readAllBytes(reference.resolve(Checkpoint.OPTIMIZER)),
                Files.readAllBytes(end.dir().resolve(Checkpoint.OPTIMIZER)));
        List<TrainingHost> hosts = end.info().trainedOn();
        assertEquals(List.of(first, second), hosts.stream().map(TrainingHost::slurmJob).toList(), hosts.toString());
        assertEquals(stoppedAt, hosts.get(0).toStep());
        assertEquals(stoppedAt, hosts.get(1).fromStep());
    }

    @Test
    void usr1BeforeTheTimeLimitCheckpointsAndTheRequeuedTaskFinishes() throws Exception {
        RunLayout run = smokeExpertRun("preempted");
        Path reference = referenceExpert();
        Path script = SlurmPipeline.slurmDir(run).resolve("experts.sbatch");
        String task = cluster.client().sbatch(List.of("--array=0"), script) + "_0";
        Path ckDir = run.expertDir(0).resolve(FlowTrainer.CHECKPOINTS);
        waitUntil("a first checkpoint", () -> Files.exists(ckDir.resolve("step-00000015")));
        // what Slurm sends 90 s before the time limit (--signal=B:USR1@90): USR1 to the batch shell
        runChecked("scancel", "--signal=USR1", "--batch", task);
        waitUntil("the requeue", () -> !"0".equals(cluster.client().showJob(task).get("Restarts")));
        long stoppedAt = Checkpoint.latest(ckDir).orElseThrow().info().step();
        waitForJobs(List.of(task), null);
        Map<String, String> job = cluster.client().showJob(task);
        assertEquals("COMPLETED", job.get("JobState"), log(run));
        assertEquals("1", job.get("Restarts"));
        assertTrue(stoppedAt >= 15 && stoppedAt < 60, "stopped mid-training, at step " + stoppedAt);
        String log = log(run);
        assertTrue(log.contains("stopped at step " + stoppedAt) && log.contains("requeueing " + task)
                && log.contains("resuming from"), log);
        Checkpoint end = Checkpoint.latest(ckDir).orElseThrow();
        assertEquals(60, end.info().step());
        assertArrayEquals(Files.readAllBytes(reference.resolve(Checkpoint.MODEL)),
                Files.readAllBytes(end.dir().resolve(Checkpoint.MODEL)), "requeued expert ends bit-identical");
        assertArrayEquals(Files.readAllBytes(reference.resolve(Checkpoint.OPTIMIZER)),
                Files.readAllBytes(end.dir().resolve(Checkpoint.OPTIMIZER)));
        JsonObject state = Json.read(SlurmPipeline.slurmDir(run).resolve("state/expert-00.json"), JsonObject.class);
        assertEquals("done", state.get("state").getAsString());
        assertEquals(1, state.get("restarts").getAsInt());
    }

    // ---- helpers ----

    private static Path referenceDir;

    /** Expert 0 of the smoke preset trained without interruption, in its own process, one thread. */
    private static synchronized Path referenceExpert() throws Exception {
        if (referenceDir == null) {
            RunLayout ref = smokeExpertRun("reference");
            CliResult r = paris("train-expert", "--run", ref.root().toString(), "--cluster", "0", "--threads", "1");
            assertEquals(0, r.code(), r.output());
            referenceDir = ref.expertDir(0).resolve(FlowTrainer.CHECKPOINTS).resolve("step-00000060");
        }
        return referenceDir;
    }

    /** A smoke run holding only shard 0 (an expert reads nothing else), with its scripts: one expert is 60 steps. */
    private static RunLayout smokeExpertRun(String name) throws Exception {
        RunLayout run = new RunLayout(tmp.resolve(name));
        try (ShardWriter w = new ShardWriter(run.shardDir(0), 0, new ImageSpec(3, 16, 16), "test", 1L,
                List.of("shape", "color"))) { // attributes the evaluation classifier reads: paris submit validates the run
            for (int i = 0; i < 48; i++) {
                byte[] px = new byte[3 * 16 * 16];
                for (int j = 0; j < px.length; j++) {
                    px[j] = (byte) ((j / 256 == i % 3 ? 200 : 40) + (i * 7 + j) % 13);
                }
                w.add(new Sample("s" + i, new ImageU8(3, 16, 16, px), "shape " + (i % 3) + " image " + i,
                        Map.of("shape", "" + (i % 3), "color", "red")));
            }
        }
        CliResult dry = paris("submit", "--run", run.root().toString(), "--preset", "smoke", "--seed", "5",
                "--cpus", "1", "--mem", "1G", "--dry-run");
        assertEquals(0, dry.code(), dry.output());
        return run;
    }

    private static String log(RunLayout run) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.list(SlurmPipeline.slurmDir(run).resolve(SlurmPipeline.LOGS))) {
            for (Path p : s.sorted().toList()) {
                sb.append("== ").append(p.getFileName()).append('\n').append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    private static String id(List<SlurmSubmission.Submitted> jobs, String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow().id();
    }

    private static void assertSameBytes(RunLayout a, RunLayout b, String file) throws IOException {
        assertArrayEquals(Files.readAllBytes(a.root().resolve(file)), Files.readAllBytes(b.root().resolve(file)), file);
    }

    /** Waits until none of {@code ids} is queued or running; fails with the logs after {@link #JOB_TIMEOUT}. */
    private static void waitForJobs(List<String> ids, RunLayout run) throws Exception {
        waitUntil("jobs " + ids + " to end", () -> cluster.client().squeue(ids).values().stream()
                .noneMatch(Slurm.JobInfo::alive));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(String what, Condition c) throws Exception {
        long end = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out waiting for " + what + "; slurm logs in " + cluster.dir());
            }
            Thread.sleep(50);
        }
    }

    private static void scancel(String... ids) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(List.of(ids));
        runChecked(cmd.toArray(String[]::new));
    }

    private static void runChecked(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(cluster.env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    record CliResult(int code, String output) {
    }

    /** The paris CLI in its own process (this JVM's java and classpath), with the test cluster's SLURM_CONF. */
    static CliResult paris(String... args) throws Exception {
        return paris(List.of(), args);
    }

    static CliResult paris(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(1, jvmOptions);
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add(1, "-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.add(ParisCli.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(cluster.env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliResult(p.waitFor(), out);
    }
}
