package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * {@code --clip hf:PATH}: checked before any stage (naming the catalogue entry), recorded in run.json,
 * a run folder made with another CLIP choice refused, and absent from run.json when not given.
 */
class ReproductionClipOptionTest {
    @TempDir
    Path tmp;

    @Test
    void aBadClipFolderIsRefusedBeforeAnyStage() {
        RunLayout run = new RunLayout(tmp.resolve("bad"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3)
                .withClip("hf:" + HfFixtures.folder("tiny-dinov2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.runThrough(run, o, Reproduction.Stage.EVALUATE, ev -> { }));
        assertTrue(e.getMessage().contains("CLIP score") && e.getMessage().contains("clip-vit-large-patch14")
                && e.getMessage().contains("model_type dinov2"), e.getMessage());
        assertFalse(Files.exists(run.runConfig()), "nothing recorded for a run that cannot start");
        IllegalArgumentException form = assertThrows(IllegalArgumentException.class, () -> o.withClip("clip:foo"));
        assertTrue(form.getMessage().contains("hf:PATH"), form.getMessage());
        assertNull(o.withClip("none").clip());
    }

    @Test
    void theClipModelIsRecordedAndARunMadeWithAnotherChoiceIsRefused() throws Exception {
        Reproduction.Options without = Reproduction.Options.of(Preset.of("smoke"), 3);
        Reproduction.Options with = without.withClip(PaperTinyFolders.clip());
        Reproduction.validateThrough(new RunLayout(tmp.resolve("x")), with, Reproduction.Stage.CLUSTER);

        RunLayout plain = new RunLayout(tmp.resolve("plain"));
        Reproduction.recordRun(plain, without);
        JsonObject json = JsonParser.parseString(Files.readString(plain.runConfig())).getAsJsonObject();
        assertFalse(json.has("clip"), "a run without --clip records no clip field: " + json);
        assertNull(Reproduction.fromRun(plain).clip());

        RunLayout clipped = new RunLayout(tmp.resolve("clipped"));
        Reproduction.recordRun(clipped, with);
        json = JsonParser.parseString(Files.readString(clipped.runConfig())).getAsJsonObject();
        assertEquals(with.clip(), json.get("clip").getAsString());
        assertEquals(with.clip(), Reproduction.fromRun(clipped).clip());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.recordRun(clipped, without));
        assertTrue(e.getMessage().contains("CLIP: made with " + with.clip() + ", asked none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reproduction.recordRun(plain, with));
    }
}
