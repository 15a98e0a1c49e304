package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;

/** {@code --text hf:PATH}: the CLIP folder is loaded before any stage and recorded in run.json. */
class ReproductionTextOptionTest {

    @TempDir
    Path tmp;

    private static Path clipFolder() throws URISyntaxException {
        // the tiny CLIP pipeline folder (text_encoder/ and tokenizer/) of scripts/make_hf_clip_fixture.py
        return Path.of(ReproductionTextOptionTest.class.getResource("/hf-clip/text_encoder").toURI()).getParent();
    }

    @Test
    void hfTextFolderIsLoadedAndRecorded() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3).withText("hf:" + clipFolder());
        Reproduction.runThrough(run, o, Reproduction.Stage.CLUSTER, e -> { });
        JsonObject recorded = JsonParser.parseString(Files.readString(run.runConfig())).getAsJsonObject();
        assertEquals("hf:" + clipFolder(), recorded.get("text").getAsString());
        assertTrue(recorded.get("textEncoder").getAsString().startsWith("clip-hf("), recorded.toString());
        assertEquals("hf:" + clipFolder(), Reproduction.fromRun(run).text());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> Reproduction.runThrough(run,
                Reproduction.Options.of(Preset.of("smoke"), 3), Reproduction.Stage.CLUSTER, e -> { }));
        assertTrue(other.getMessage().contains("text: made with hf:"), other.getMessage());
    }

    @Test
    void badTextFolderFailsBeforeAnyStage() {
        RunLayout run = new RunLayout(tmp.resolve("bad"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3).withText("hf:" + tmp.resolve("no-clip"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.runThrough(run, o, Reproduction.Stage.CLUSTER, ev -> { }));
        assertTrue(e.getMessage().contains("no-clip"), e.getMessage());
        assertFalse(Files.exists(run.runConfig()), "nothing recorded for a run that cannot start");
        assertThrows(IllegalArgumentException.class, () -> o.withText("clip:foo"));
    }
}
