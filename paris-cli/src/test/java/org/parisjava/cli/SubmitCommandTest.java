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
}
