package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.RunLayout;

/** The compute of fig6 when no checkpoint records it: from the stage log, never from overlapping stages. */
class ComputeAccountingTest {
    @TempDir
    Path tmp;

    @Test
    void stagesTrainedSideBySideAreNotCountedAsWallTimesCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<RunManifest.StageRecord> stages = List.of(
                new RunManifest.StageRecord("cluster", false, 5, "t"),
                new RunManifest.StageRecord("experts", false, 100, "t"),
                new RunManifest.StageRecord("monolith", false, 90, "t", "experts"),
                new RunManifest.StageRecord("router", true, 0, "t"));
        // the experts' wall seconds hold the monolith's too, so neither can be told from the log
        assertEquals(Map.of(), ComputeAccounting.measuredCompute(stages, 4));
        List<RunManifest.StageRecord> inTurn = List.of(new RunManifest.StageRecord("experts", false, 100, "t"),
                new RunManifest.StageRecord("monolith", false, 90, "t"));
        assertEquals(Map.of("4 experts (together)", 100.0 * cores, "monolith", 90.0 * cores),
                ComputeAccounting.measuredCompute(inTurn, 4));
        assertEquals("beside experts", stages.get(2).note());
        assertEquals("already done", stages.get(3).note());
        assertEquals("", stages.get(1).note());
    }

    @Test
    void aRunWithoutCheckpointsFallsBackToItsStageLogAndAnOldLogReadsAsOnItsOwn() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Files.createDirectories(run.root());
        // reproduce.json as written before stages could train side by side: no "beside"
        Files.writeString(run.root().resolve(RunManifest.STAGES_FILE), "[{\"stage\":\"experts\",\"skipped\":false,"
                + "\"seconds\":10.0,\"finished\":\"t\"},{\"stage\":\"monolith\",\"skipped\":false,\"seconds\":20.0,"
                + "\"finished\":\"t\"}]");
        List<RunManifest.StageRecord> stages = RunManifest.readStages(run);
        assertNull(stages.get(1).beside());
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Double> c = ComputeAccounting.measuredCompute(run, stages, 2);
        assertEquals(10.0 * cores, c.get("2 experts (together)"));
        assertEquals(20.0 * cores, c.get("monolith"));
        assertFalse(c.containsKey("router"));
    }
}
