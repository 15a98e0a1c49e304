package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.run.RunLayout;

/** Processes and run folders: children die with their parent, idle threads sleep, paris cluster records its run. */
class ProcessFaultsTest {
    @TempDir
    Path tmp;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitLine(Process p, String expected) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals(expected, r.readLine());
    }

    @Test
    void expertProcessesAreToldToWatchTheirParentAndToLetIdleThreadsSleep() {
        List<String> cmd = ExpertLauncher.command(new RunLayout(tmp), 3, 1, List.of("--seed", "9"));
        assertTrue(cmd.contains("-D" + ParentWatch.PROPERTY + "=stdin"), cmd.toString());
        assertTrue(cmd.contains("-Dai.djl.pytorch.num_threads=1"), cmd.toString());
        assertTrue(cmd.contains("-Dai.djl.pytorch.num_interop_threads=1"), cmd.toString());
        String omp = System.getenv("OMP_WAIT_POLICY");
        assertEquals(omp != null ? omp : "PASSIVE", ExpertLauncher.environment().get("OMP_WAIT_POLICY"));
    }

    @Test
    void childrenGetTheParentsHeapAndCollectorOptionsOnly() {
        assertEquals(List.of("-Xmx12g", "-XX:+UseG1GC", "-Xss4m"), ExpertLauncher.memoryOptions(List.of("-Xmx12g",
                "-Dai.djl.offline=true", "-XX:+UseG1GC", "-javaagent:x.jar", "-Xss4m")));
    }

    @Test
    void theMonolithJoinsThePoolOnlyWhenTheExpertsKeepTheOtherProcessesBusyAsLong() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        org.parisjava.reproduce.Reproduction.Options o = org.parisjava.reproduce.Reproduction.Options.of(
                org.parisjava.run.Preset.of("demo"), 42);
        List<Integer> all = List.of(0, 1, 2, 3, 4, 5, 6, 7);
        assertTrue(ReproduceCommand.monolithFits(run, o, all, 2), "two processes, fresh run: the same images each side");
        assertFalse(ReproduceCommand.monolithFits(run, o, all, 4), "four processes: three would idle for 2/3 of it");
        assertFalse(ReproduceCommand.monolithFits(run, o, List.of(5), 2), "one expert left: the monolith goes after");
        assertFalse(ReproduceCommand.monolithFits(run, o, all, 1), "one process: nothing to gain");
    }

    @Test
    void aChildStopsWhenItsParentIsKilled() throws Exception {
        // the parent is `sleep` feeding the child's stdin; kill -9 of the parent closes the pipe
        Process shell = new ProcessBuilder("sh", "-c", "sleep 600 | \"$0\" -cp \"$1\" -D" + ParentWatch.PROPERTY
                + "=stdin " + ParentWatchProbe.class.getName() + " & echo $!; wait", java(),
                System.getProperty("java.class.path")).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
        long childPid = Long.parseLong(out.readLine().trim());
        assertEquals("watching", out.readLine());
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        ProcessHandle sleep = ProcessHandle.allProcesses()
                .filter(h -> h.parent().map(pp -> pp.pid() == shell.pid()).orElse(false))
                .filter(h -> h.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                .findFirst().orElseThrow();
        assertTrue(child.isAlive());
        Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(sleep.pid())}).waitFor();
        assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the child did not stop after its parent was killed");
        assertFalse(child.isAlive());
    }

    @Test
    void aChildStopsWithExitCode129WhenItsParentPipeCloses() throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "-D" + ParentWatch.PROPERTY + "=stdin", ParentWatchProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        awaitLine(p, "watching");
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ParentWatch.EXIT_CODE, p.exitValue());
    }

    @Test
    void aTrainingChildWhoseParentEndsCheckpointsAndStopsInsteadOfExitingMidStep() throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                "-D" + ParentWatch.PROPERTY + "=stdin", ParentWatchTrainerProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("training", out.readLine());
        p.getOutputStream().close();
        String last = out.readLine();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(last != null && last.startsWith("checkpointed at step") && last.endsWith("the parent process ended"),
                String.valueOf(last));
        assertEquals(0, p.exitValue(), "the child ended itself, not by the watch's exit");
    }

    @Test
    void aRerunWaitsForALiveTrainerOfTheSameExpertToEnd() throws Exception {
        Path expert = new RunLayout(tmp).expertDir(2);
        Process orphan = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), expert.toString(), "3000").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitLine(orphan, "locked");
        assertTrue(orphan.isAlive());
        ExpertLauncher.waitForLiveWriter(expert, 2);
        assertFalse(orphan.isAlive(), "returned before the holder ended");
        // nobody holds it now: no wait
        long t0 = System.nanoTime();
        ExpertLauncher.waitForLiveWriter(expert, 2);
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
    }

    @Test
    void aRefusedTrainExpertLeavesTheRunningTrainersConfig() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path expert = run.expertDir(0);
        Files.createDirectories(expert);
        Files.writeString(expert.resolve("train-config.json"), "{\"written by\": \"the running trainer\"}");
        Process running = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), expert.toString(), "60000").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitLine(running, "locked");
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.err;
            int code;
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                code = ParisCli.run("train-expert", "--run", run.root().toString(), "--cluster", "0", "--preset",
                        "smoke", "--steps", "3");
            } finally {
                System.setErr(old);
            }
            assertEquals(1, code);
            String msg = err.toString(StandardCharsets.UTF_8);
            assertTrue(msg.contains("an orphaned expert trainer (pid " + running.pid()), msg);
            assertEquals("{\"written by\": \"the running trainer\"}", Files.readString(expert.resolve("train-config.json")));
        } finally {
            running.destroyForcibly();
            running.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void clusterRecordsItsPresetAndSeedForTheLaterStagesAndRefusesOthers() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        assertEquals(0, ParisCli.run("cluster", "--preset", "smoke", "--seed", "7", "--limit", "64", "--out",
                run.root().toString()));
        JsonObject j = Json.read(run.runConfig(), JsonObject.class);
        assertEquals("smoke", j.get("preset").getAsString());
        assertEquals(7, j.get("seed").getAsLong());
        assertEquals(64, j.getAsJsonObject("cluster").get("limit").getAsInt());
        // the clustering starts no PyTorch: its threads are left to the stages that train (each checkpoint records
        // them), the cores are recorded
        assertEquals(0, j.getAsJsonObject("threads").get("intraOp").getAsInt());
        assertTrue(j.getAsJsonObject("threads").get("cores").getAsInt() >= 1);
        // what a later train-expert on that folder uses
        TrainingArgs a = new TrainingArgs();
        a.run = run.root();
        assertEquals(7, a.seedValue());
        assertEquals("smoke", a.presetName());
        assertEquals(7, a.expertOptions().seed());
        // another seed on the same folder: refused, nothing rewritten
        byte[] before = Files.readAllBytes(run.runConfig());
        assertEquals(1, ParisCli.run("cluster", "--preset", "smoke", "--seed", "8", "--limit", "64", "--out",
                run.root().toString()));
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(run.runConfig()));
    }
}
