package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.RunLayout;

/** A paper preset requires CLIP, the SD-VAE and DINOv2 folders, and says everything it lacks at once. */
class PaperPresetFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void paperPresetsMatchThePaper() {
        for (String name : List.of("paper-b2", "paper-xl2")) {
            Preset p = Preset.of(name);
            assertTrue(p.paperModels(), name);
            assertEquals(256, p.imageSize());
            assertEquals(1024, p.fineClusters());
            assertEquals(8, p.coarseClusters());
            assertEquals("DiT-B/2", p.routerModel());
            assertEquals(50, p.samplingSteps());
            assertEquals(7.5, p.cfgScale());
        }
        assertEquals("DiT-B/2", Preset.of("paper-b2").expertModel());
        assertEquals("DiT-XL/2", Preset.of("paper-xl2").expertModel());
        DiTConfig b2 = DiTConfig.of("DiT-B/2");
        assertEquals(32, b2.imageSize());
        assertEquals(4, b2.inChannels());
        assertTrue(Preset.of("paper-tiny").paperModels());
        assertFalse(Preset.of("smoke").paperModels());
    }

    @Test
    void paperB2WithoutFoldersIsRefusedAtOnceWithTheWholeList() {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("paper-b2"), 1).withDataset("tiny-webdataset");
        List<ProgressEvent> events = new ArrayList<>();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.run(run, o, events::add));

        String m = e.getMessage();
        assertTrue(m.contains("--text hf:PATH (catalogue entry clip-vit-large-patch14)"), m);
        assertTrue(m.contains("--latent hf:PATH (catalogue entry sd-vae-ft-mse)"), m);
        assertTrue(m.contains("--features hf:PATH (catalogue entry dinov2-large)"), m);
        assertEquals(3, m.split("\n  - ").length - 1, m);
        assertEquals(List.of(), events);
        assertFalse(Files.exists(run.root()), "nothing is written for a run that cannot start");
    }

    @Test
    void missingFoldersWeightFilesAndDataAreNamedTogether() throws Exception {
        Path emptyVae = Files.createDirectories(tmp.resolve("sd-vae-without-weights"));
        Files.writeString(emptyVae.resolve("config.json"), "{\"_class_name\": \"AutoencoderKL\"}");
        Reproduction.Options o = Reproduction.Options.of(Preset.of("paper-b2"), 1)
                .withText("hf:" + tmp.resolve("no-clip"))
                .withLatent("hf:" + emptyVae)
                .withFeatures("hf:" + tmp.resolve("no-dinov2"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.validate(new RunLayout(tmp.resolve("run")), o));

        String m = e.getMessage();
        assertTrue(m.contains("text encoder hf:" + tmp.resolve("no-clip")), m);
        assertTrue(m.contains("latent space hf:" + emptyVae), m);
        assertTrue(m.contains("safetensors"), "the missing weight file is named: " + m);
        assertTrue(m.contains("clustering features hf:" + tmp.resolve("no-dinov2")), m);
        assertTrue(m.contains("dataset laion-aesthetics") && m.contains("img2dataset"),
                "the preset's dataset (a catalogue name) is not here either, and the message says how to obtain it: " + m);
        assertEquals(4, m.split("\n  - ").length - 1, m);
    }

    @Test
    void paperB2WithTheFoldersPassesValidation() {
        Reproduction.Options o = PaperTinyFolders.options("paper-b2", 1).withDataset("tiny-webdataset");
        assertEquals(List.of(), ModelFolders.problems(o, true));
    }
}
