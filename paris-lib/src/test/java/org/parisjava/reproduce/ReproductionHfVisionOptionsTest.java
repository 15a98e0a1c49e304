package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.vision.HfFixtures;

/**
 * {@code --latent hf:PATH}: the VAE folder is loaded before any stage and recorded in run.json.
 * ({@code --features hf:PATH} runs in paris-cli's ClusterHfFeaturesTest: DINOv2 at the pipeline's 224 px
 * input costs more than this smoke run should.)
 */
class ReproductionHfVisionOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void theVaeIsLoadedAndRecorded() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        String latent = "hf:" + HfFixtures.folder("tiny-sd-vae");
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3).withLatent(latent);
        Reproduction.runThrough(run, o, Reproduction.Stage.CLUSTER, e -> { });
        JsonObject recorded = JsonParser.parseString(Files.readString(run.runConfig())).getAsJsonObject();
        assertEquals(latent, recorded.get("latent").getAsString());
        assertTrue(recorded.get("latentCodec").getAsString().startsWith("hf:tiny-sd-vae(AutoencoderKL, latent 4"),
                recorded.toString());
        assertEquals(latent, Reproduction.fromRun(run).latent());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> Reproduction.runThrough(run,
                Reproduction.Options.of(Preset.of("smoke"), 3), Reproduction.Stage.CLUSTER,
                e -> { }));
        assertTrue(other.getMessage().contains("latent: made with hf:"), other.getMessage());
    }

    @Test
    void aBadVaeFolderFailsBeforeAnyStage() {
        RunLayout run = new RunLayout(tmp.resolve("bad"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3)
                .withLatent("hf:" + HfFixtures.folder("tiny-dinov2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.runThrough(run, o, Reproduction.Stage.CLUSTER, ev -> { }));
        assertTrue(e.getMessage().contains("tiny-dinov2"), e.getMessage());
        assertFalse(Files.exists(run.runConfig()), "nothing recorded for a run that cannot start");
        assertThrows(IllegalArgumentException.class, () -> o.withLatent("vae:foo"));
    }
}
