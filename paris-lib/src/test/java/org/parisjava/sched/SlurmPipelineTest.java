package org.parisjava.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;

/** Resource rules, the job plan and the generated scripts, without a scheduler (the Slurm tests run them). */
class SlurmPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void rulesApplyDefaultThenStageThenExpertIndexAndLaterRulesWin() {
        ResourceRules r = new ResourceRules()
                .add("default.time = 04:00:00", "t")
                .add("default.cpus = 2", "t")
                .add("experts.cpus = 8", "t")
                .add("experts[4-7].partition = v100", "t")
                .add("experts[4-7].extra = --constraint=v100", "t")
                .add("experts[6].partition = a40", "t")
                .add("router.mem = 16G", "t")
                .add("default.cpus = 4", "t");
        SlurmResources base = SlurmResources.none().with("mem", "8G");
        assertEquals(List.of("--cpus-per-task=4", "--mem=16G", "--time=04:00:00"),
                r.forStage("router", base).sbatchOptions());
        assertEquals(List.of("--cpus-per-task=8", "--mem=8G", "--time=04:00:00"), r.forExpert(0, base).sbatchOptions());
        assertEquals(List.of("--partition=v100", "--cpus-per-task=8", "--mem=8G", "--time=04:00:00",
                "--constraint=v100"), r.forExpert(5, base).sbatchOptions());
        assertEquals("a40", r.forExpert(6, base).partition());
        assertEquals(7, r.maxExpertIndex());
    }

    @Test
    void badRulesNameTheFileLineAndItem() throws Exception {
        Path f = tmp.resolve("resources.conf");
        Files.writeString(f, "# ok\nexperts.cpus = 2\nexperts.mem = lots\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ResourceRules().addFile(f));
        assertTrue(e.getMessage().contains(f + " line 3") && e.getMessage().contains("Invalid mem 'lots'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResourceRules().add("gpus.partition=x", "--resource"));
        assertTrue(e.getMessage().contains("invalid resource rule 'gpus.partition=x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResourceRules().add("router[1].cpus=2", "here"));
        assertTrue(e.getMessage().contains("only experts take indices"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResourceRules().add("cluster.extra=#SBATCH x", "h"));
        assertTrue(e.getMessage().contains("Invalid extra sbatch option"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResourceRules().add("default.partition=a b", "h"));
        assertTrue(e.getMessage().contains("Invalid partition 'a b'"), e.getMessage());
    }

    @Test
    void arraySpecFoldsRanges() {
        assertEquals("0-3,6", SlurmJob.arraySpec(List.of(3, 0, 1, 2, 6)));
        assertEquals("5", SlurmJob.arraySpec(List.of(5)));
        assertEquals("0,2,4-5", SlurmJob.arraySpec(List.of(0, 2, 4, 5)));
    }

    @Test
    void expertsWithDifferentResourcesGetOneArrayEachAndTheScriptsAreValidBash() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 7);
        ResourceRules rules = new ResourceRules().add("experts[2-3].partition = long", "t");
        SlurmPipeline p = new SlurmPipeline(run, o, rules, SlurmResources.none().with("cpus", "1"), 2,
                "/nfs/paris-java/paris");
        assertEquals(List.of("cluster", "experts-0-1", "experts-2-3", "monolith", "router", "evaluate"),
                p.jobs().stream().map(SlurmJob::name).toList());
        assertEquals(List.of("experts-0-1", "experts-2-3", "monolith", "router"), p.jobs().get(5).after());
        assertEquals(List.of(0), p.pendingTasks(p.jobs().get(0)), "nothing is done yet");
        assertEquals(List.of(2, 3), p.pendingTasks(p.jobs().get(2)));
        List<Path> files = p.writeScripts();
        for (Path f : files) {
            Process bash = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, bash.waitFor(), f + ": " + out);
        }
        String experts = Files.readString(p.jobs().get(2).script());
        for (String line : List.of("#SBATCH --array=2-3%2", "#SBATCH --partition=long", "#SBATCH --cpus-per-task=1",
                "#SBATCH --signal=B:USR1@90", "#SBATCH --requeue", "#SBATCH --open-mode=append",
                "experts/$C/checkpoints/step-00000060/checkpoint.json",
                "paris run-stage --run \"$RUN\" experts --cluster \"$K\" --threads \"$THREADS\"")) {
            assertTrue(experts.contains(line), line + " in\n" + experts);
        }
        String helper = Files.readString(SlurmPipeline.slurmDir(p.run()).resolve(SlurmPipeline.HELPER));
        assertTrue(helper.contains("paris() { exec /nfs/paris-java/paris \"$@\"; }") && helper.contains("OMP_WAIT_POLICY=PASSIVE")
                && helper.contains("scontrol requeue"), helper);
        String submit = Files.readString(SlurmPipeline.slurmDir(p.run()).resolve(SlurmPipeline.SUBMIT_SCRIPT));
        assertTrue(submit.contains("--dependency=afterok:${experts_0_1%%;*}:${experts_2_3%%;*}:${monolith%%;*}"
                + ":${router%%;*} evaluate.sbatch"), submit);

        // a finished expert leaves the array; a finished stage needs no job
        Path done = run.root().resolve(SlurmPipeline.doneFiles(o, "experts", 2).get(0));
        Files.createDirectories(done.getParent());
        Files.writeString(done, "{}");
        assertEquals(List.of(3), p.pendingTasks(p.jobs().get(2)));
        assertFalse(SlurmPipeline.isDone(run, o, "experts", 3));
    }

    @Test
    void aRuleForAnExpertTheRunDoesNotHaveIsRefused() {
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 7); // K = 4
        ResourceRules rules = new ResourceRules().add("experts[4-7].partition = long", "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlurmPipeline(
                new RunLayout(tmp), o, rules, SlurmResources.none(), 0, "paris"));
        assertTrue(e.getMessage().contains("names expert 7, but the run has K=4"), e.getMessage());
    }
}
