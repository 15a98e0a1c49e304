package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.reproduce.RunManifest;
import org.parisjava.train.RouterTrainer;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.sched.RunStatus;
import org.parisjava.sched.SlurmPipeline;
import org.parisjava.sched.SlurmSubmission;

/** {@code paris submit --dry-run} and {@code paris status} without a scheduler (the Slurm tests submit for real). */
class SubmitCommandTest {
    @TempDir
    Path tmp;

    private static String capture(Runnable r) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(out);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dryRunWritesRunJsonAndScriptsThenStatusShowsEveryStagePending() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        int[] code = new int[1];
        String out = capture(() -> code[0] = ParisCli.run("submit", "--run", run.root().toString(), "--preset", "smoke",
                "--seed", "9", "--parallel", "2", "--partition", "cpu", "--resource", "experts[3].gres=gpu:1",
                "--paris-command", "/nfs/paris-java/paris", "--dry-run"));
        assertEquals(0, code[0], out);
        assertTrue(out.contains("experts-0-2  array 0-2") && out.contains("experts-3    array 3"), out);
        JsonObject config = Json.read(run.runConfig(), JsonObject.class);
        assertEquals("smoke", config.get("preset").getAsString());
        assertEquals(9, config.get("seed").getAsLong());
        Path slurm = SlurmPipeline.slurmDir(run);
        for (String f : List.of("paris-job.sh", "cluster.sbatch", "experts-0-2.sbatch", "experts-3.sbatch",
                "monolith.sbatch", "router.sbatch", "evaluate.sbatch", "submit.sh")) {
            assertTrue(Files.isRegularFile(slurm.resolve(f)), f);
        }
        assertTrue(Files.readString(slurm.resolve("paris-job.sh")).contains("paris() { exec /nfs/paris-java/paris \"$@\"; }"));
        assertTrue(Files.readString(slurm.resolve("experts-3.sbatch")).contains("#SBATCH --gres=gpu:1\n"));
        assertTrue(Files.readString(slurm.resolve("cluster.sbatch")).contains("#SBATCH --partition=cpu\n"));
        assertFalse(Files.exists(SlurmSubmission.file(run)), "a dry run submits nothing");

        // the run's settings are fixed once run.json exists
        assertNotEquals(0, ParisCli.run("submit", "--run", run.root().toString(), "--seed", "10", "--dry-run"));
        assertNotEquals(0, ParisCli.run("submit", "--run", run.root().toString(), "--resource", "experts[9].cpus=2",
                "--dry-run"), "K=4: there is no expert 9");

        String status = capture(() -> code[0] = ParisCli.run("status", "--run", run.root().toString()));
        assertEquals(0, code[0], status);
        assertTrue(status.contains("(local)"), status);
        assertEquals(8, status.lines().filter(l -> l.matches("\\S+( \\d)?\\s+pending\\b.*")).count(), status);
        assertTrue(status.contains("0/60") && status.contains("0/240") && status.contains("0/80"), status);
        assertEquals(List.of(RunStatus.State.PENDING), RunStatus.of(run, null).stream().map(RunStatus.Row::state)
                .distinct().toList());
    }

    @Test
    void submittingAnExistingRunKeepsItsRouterAndEvaluationFeatures() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.recordRun(run, Reproduction.Options.of(Preset.of("tiny"), 42).withRouter("text-aware")
                .withEvalFeatures("classifier"));
        CliRun o = CliRun.of("submit", "--run", run.root().toString(), "--paris-command", "/nfs/paris-java/paris",
                "--dry-run");
        assertEquals(0, o.code(), o.err());
        JsonObject config = Json.read(run.runConfig(), JsonObject.class);
        assertEquals("classifier", config.get("evalFeatures").getAsString());
        assertEquals("text-aware", Reproduction.fromRun(run).router());
    }

    @Test
    void aRunThatCouldNotFinishIsRefusedWithEveryReasonBeforeAnythingIsWritten() {
        Path paper = tmp.resolve("paper");
        CliRun r = CliRun.of("submit", "--run", paper.toString(), "--preset", "paper-tiny", "--dry-run");
        assertEquals(1, r.code(), r.out());
        for (String missing : List.of("--text hf:PATH", "--latent hf:PATH", "--features hf:PATH")) {
            assertTrue(r.err().contains(missing), missing + " in " + r.err());
        }
        assertFalse(Files.exists(paper), "no run.json, no script");

        Path bogus = tmp.resolve("bogus");
        r = CliRun.of("submit", "--run", bogus.toString(), "--preset", "smoke", "--features", "bogus", "--dry-run");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("Unknown feature extractor 'bogus'"), r.err());
        assertFalse(Files.exists(bogus));

        r = CliRun.of("submit", "--run", bogus.toString(), "--preset", "smoke", "--router", "clever", "--dry-run");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("Unknown router 'clever'"), r.err());
        r = CliRun.of("submit", "--run", bogus.toString(), "--preset", "smoke", "--device", "tpu", "--dry-run");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("Invalid device 'tpu'"), r.err());
        assertFalse(Files.exists(bogus));
    }

    @Test
    void everyJobReadsTheRunsSettingsFromRunJsonAndTheDeviceIsTheRecordedOne() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("gpu-run"));
        CliRun r = CliRun.of("submit", "--run", run.root().toString(), "--preset", "smoke", "--router", "both",
                "--eval-features", "classifier", "--device", "gpu", "--paris-command", "/nfs/paris-java/paris",
                "--dry-run");
        assertEquals(0, r.code(), r.err());
        Reproduction.Options o = Reproduction.fromRun(run);
        assertEquals("both", o.router());
        assertEquals("classifier", o.evalFeatures());
        assertEquals("gpu:0", RunManifest.recordedDevice(run).device(), "recorded, not selected on this machine");
        Path slurm = SlurmPipeline.slurmDir(run);
        for (String stage : List.of("cluster", "monolith", "router", "evaluate")) {
            String script = Files.readString(slurm.resolve(stage + ".sbatch"));
            assertTrue(script.contains("paris run-stage --run \"$RUN\" " + stage + " --threads \"$THREADS\""), script);
            assertFalse(script.contains("--preset") || script.contains("--seed"), "settings come from run.json: " + script);
        }
        assertTrue(Files.readString(slurm.resolve("experts.sbatch"))
                .contains("paris run-stage --run \"$RUN\" experts --cluster \"$K\" --threads \"$THREADS\""));
        assertTrue(Files.readString(slurm.resolve("router.sbatch")).contains("router-text/accuracy.json"),
                "--router both is done when both routers are");

        // a job starts on run.json's device: this machine has none, so the job stops before it clusters
        CliRun job = CliRun.of("run-stage", "--run", run.root().toString(), "cluster");
        assertEquals(1, job.code(), job.out());
        assertTrue(job.err().contains("Device 'gpu:0'") && job.err().contains("sees no GPU"), job.err());
        assertFalse(Files.exists(run.clusteringDir()));

        // an existing run keeps its settings; another router or device given to submit is checked against them
        CliRun other = CliRun.of("submit", "--run", run.root().toString(), "--router", "text-aware", "--dry-run");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("router: made with both, asked text-aware"), other.err());
        CliRun cpu = CliRun.of("submit", "--run", run.root().toString(), "--device", "cpu", "--dry-run");
        assertEquals(0, cpu.code(), cpu.err());
        assertEquals("cpu", RunManifest.recordedDevice(run).device(), "the next jobs start on the CPU");
    }

    @Test
    void theJobsOfATextAwareRunClusterAndTrainBothRoutersAsReproduceWould() throws Exception {
        // the audit's case: a run made by reproduce with a text-aware router, then submitted
        RunLayout run = new RunLayout(tmp.resolve("text-run"));
        CliRun made = CliRun.of("reproduce", "--preset", "tiny", "--seed", "5", "--router", "both", "--through",
                "cluster", "--out", run.root().toString());
        assertEquals(0, made.code(), made.err());
        CliRun sub = CliRun.of("submit", "--run", run.root().toString(), "--dry-run");
        assertEquals(0, sub.code(), sub.err());
        assertTrue(sub.out().contains("router both") && sub.out().contains("cluster      done, left out"), sub.out());

        CliRun router = CliRun.of("run-stage", "--run", run.root().toString(), "router", "--threads", "1");
        assertEquals(0, router.code(), router.err());
        assertTrue(router.out().contains("stage router of"), router.out());
        JsonObject blind = Json.read(run.routerDir().resolve(RouterTrainer.CONFIG), JsonObject.class);
        JsonObject aware = Json.read(run.textAwareRouterDir().resolve(RouterTrainer.CONFIG), JsonObject.class);
        assertTrue(!blind.has("textEncoder") || blind.get("textEncoder").isJsonNull(), blind.toString());
        assertTrue(aware.has("textEncoder") && !aware.get("textEncoder").isJsonNull(), "text-aware: " + aware);
        Reproduction.Options o = Reproduction.fromRun(run);
        assertTrue(SlurmPipeline.isDone(run, o, "router", 0) && Reproduction.isDone(run, o, Reproduction.Stage.ROUTER));
        assertTrue(RunManifest.readStages(run).stream().anyMatch(r -> r.stage().equals("router") && !r.skipped()),
                "the job's timing is in reproduce.json, which the figures stage reads");
        CliRun again = CliRun.of("run-stage", "--run", run.root().toString(), "router");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already complete"), again.out());
    }
}
