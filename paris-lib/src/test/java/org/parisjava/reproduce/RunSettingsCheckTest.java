package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.ComputeThreads;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;

/** A run folder made with other settings is refused with the settings that differ, and nothing is written. */
class RunSettingsCheckTest {
    @TempDir
    Path tmp;

    @Test
    void theRefusalNamesOnlyTheSettingsThatDiffer() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 7);
        RunManifest.writeOrCheck(run, o);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunManifest.writeOrCheck(run, Reproduction.Options.of(Preset.of("smoke"), 8).withEvalImages(32)));
        assertTrue(e.getMessage().contains("seed: made with 7, asked 8; eval images: made with 64, asked 32."),
                e.getMessage());
        assertTrue(!e.getMessage().contains("dataset") && e.getMessage().contains(run.root().toString()), e.getMessage());
        RunManifest.writeOrCheck(run, o); // the same settings resume
    }

    /**
     * A clustering that `paris cluster` made with other options (here K = 3, 8 images more than the preset, at 24 x 24, where the smoke
     * preset asks K = 4 and 16 x 16) is refused before any stage, naming each setting; the run's own clustering
     * passes, and a folder without config.json (older runs) is not checked.
     */
    @Test
    void aClusteringMadeWithOtherSettingsIsRefusedNamingEach() throws Exception {
        Preset smoke = Preset.of("smoke");
        Reproduction.Options o = Reproduction.Options.of(smoke, 7);
        RunLayout other = new RunLayout(tmp.resolve("other"));
        org.parisjava.data.ImageCaptionDataset small = org.parisjava.data.Datasets.open("shapes",
                org.parisjava.data.DatasetOptions.defaults().withLimit(smoke.trainImages() + 8).withImageSize(24).withSeed(7));
        org.parisjava.cluster.PipelineOptions po = org.parisjava.cluster.PipelineOptions.of(smoke, 7)
                .withClustering(org.parisjava.cluster.ClusteringOptions.of(smoke.fineClusters(), 3, 7));
        org.parisjava.cluster.ClusteringPipeline.run(small, po, other, org.parisjava.run.ProgressListener.NONE, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reproduction.validate(other, o));
        assertTrue(e.getMessage().contains(other.root().toString()) && e.getMessage().contains("config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("coarseClusters: made with 3, asked " + smoke.coarseClusters()), e.getMessage());
        assertTrue(e.getMessage().contains("images: made with 24x24, asked " + smoke.imageSize() + "x" + smoke.imageSize()),
                e.getMessage());
        assertTrue(e.getMessage().contains("samples: made with " + (smoke.trainImages() + 8) + ", asked at most "
                + smoke.trainImages()), e.getMessage());
        assertTrue(!e.getMessage().contains("fineClusters") && !e.getMessage().contains("features"), e.getMessage());

        RunLayout own = new RunLayout(tmp.resolve("own"));
        org.parisjava.cluster.ClusteringPipeline.run(Reproduction.openDataset(o), org.parisjava.cluster.PipelineOptions
                .of(smoke, 7), own, org.parisjava.run.ProgressListener.NONE, 7);
        Reproduction.validate(own, o); // the preset's own clustering passes
        Files.delete(other.clusteringDir().resolve("config.json"));
        Reproduction.validate(other, o); // nothing to compare: not refused (this run would cluster again)
    }

    @Test
    void aCommandThatStartsNoPyTorchLeavesItsThreadsToTheFirstThatDoes() {
        RunLayout run = new RunLayout(tmp.resolve("clustered"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 7);
        Reproduction.recordRun(run, o); // what paris cluster and paris submit do
        JsonObject threads = Json.read(run.runConfig(), JsonObject.class).getAsJsonObject("threads");
        assertEquals(0, threads.get("intraOp").getAsInt());
        assertEquals(Runtime.getRuntime().availableProcessors(), threads.get("cores").getAsInt());
        JsonObject j = Json.read(run.runConfig(), JsonObject.class);
        JsonObject cluster = new JsonObject();
        cluster.addProperty("command", "paris cluster");
        j.add("cluster", cluster); // what paris cluster adds beside the settings
        Json.write(run.runConfig(), j);
        RunManifest.writeOrCheck(run, o); // paris reproduce on the same folder
        j = Json.read(run.runConfig(), JsonObject.class);
        assertEquals(cluster, j.getAsJsonObject("cluster"), "members run.json's record does not read are kept");
        threads = j.getAsJsonObject("threads");
        assertEquals(ComputeThreads.current().intraOp(), threads.get("intraOp").getAsInt());
        assertTrue(threads.get("intraOp").getAsInt() > 0);
    }

    @Test
    void aRunMadeBeforeThePresetsBudgetChangedIsRefusedNamingTheBudget() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("demo"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("demo"), 42);
        RunManifest.writeOrCheck(run, o);
        // run.json as the demo preset wrote it before its experts trained 440 steps of 32 at 2e-3
        JsonObject j = Json.read(run.runConfig(), JsonObject.class);
        JsonObject expert = j.getAsJsonObject("expert");
        expert.addProperty("steps", 220);
        expert.addProperty("batch", 64);
        expert.addProperty("learningRate", 1e-3);
        j.getAsJsonObject("monolith").addProperty("steps", 1760);
        Json.write(run.runConfig(), j);
        String before = Files.readString(run.runConfig());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunManifest.writeOrCheck(run, o));
        assertTrue(e.getMessage().contains("expert steps x batch at lr: made with 220 x 64 at 0.001, asked 440 x 32 at"
                + " 0.002; monolith steps: made with 1760, asked 3520"), e.getMessage());
        assertEquals(before, Files.readString(run.runConfig()), "a refused run's run.json is left as it was");
    }

    @Test
    void checkpointsOfAnotherModelAreRefusedBeforeAnyStageNamingTheFolderAndTheSetting() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("old"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 7);
        RunManifest.writeOrCheck(run, o);
        RunManifest.checkSettings(run, o); // no checkpoints yet
        // expert 3 left unfinished by code whose smoke DiT had the tanh GELU: checkpoint.json written before the
        // exactGelu field existed
        DiTConfig now = DiTConfig.of(o.expertOptions().modelPreset());
        JsonObject config = Json.gson().toJsonTree(now).getAsJsonObject();
        config.remove("exactGelu");
        JsonObject info = new JsonObject();
        info.addProperty("kind", "expert");
        info.addProperty("configClass", DiTConfig.class.getName());
        info.add("config", config);
        info.addProperty("step", 10);
        Path step = run.expertDir(3).resolve(FlowTrainer.CHECKPOINTS).resolve("step-00000010");
        Files.createDirectories(step);
        Json.write(step.resolve(Checkpoint.INFO), info);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunManifest.checkSettings(run, o));
        assertTrue(now.exactGelu(), "the smoke preset's DiT has the exact GELU");
        assertTrue(e.getMessage().contains(run.expertDir(3).toString())
                && e.getMessage().contains("exactGelu: made with false, asked true"), e.getMessage());
        // the same model, recorded with the field: accepted
        config.addProperty("exactGelu", true);
        info.add("config", config);
        Json.write(step.resolve(Checkpoint.INFO), info);
        RunManifest.checkSettings(run, o);
    }
}
