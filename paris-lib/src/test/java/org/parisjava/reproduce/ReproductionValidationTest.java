package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressEvent;
import org.parisjava.run.RunLayout;

/** A reproduction that could not finish is refused before its first stage, with the reason. */
class ReproductionValidationTest {

    @Test
    void anImageFolderCannotBeEvaluatedSoItsReproductionIsRefusedBeforeClustering(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        StringBuilder captions = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(30 * i, 255 - 30 * i, 128));
            g.fillRect(0, 0, 16, 16);
            g.dispose();
            ImageIO.write(img, "png", images.resolve("img-" + i + ".png").toFile());
            captions.append("img-").append(i).append(".png\ta plain square number ").append(i).append('\n');
        }
        Files.writeString(images.resolve("captions.tsv"), captions);
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3).withDataset("folder:" + images);
        List<ProgressEvent> events = new ArrayList<>();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reproduction.run(run, o, events::add));

        assertTrue(e.getMessage().contains("folder:" + images), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be evaluated"), e.getMessage());
        assertTrue(e.getMessage().contains("attributes []") && e.getMessage().contains("--eval-features hf:PATH"),
                "says why and what to pass: " + e.getMessage());
        // refused before the first stage: no progress, nothing written, not even run.json
        assertEquals(List.of(), events);
        assertFalse(Files.exists(run.root()), "the run folder must not be created");
        assertFalse(Files.exists(run.clusteringDir()));
    }

    @Test
    void theSameRefusalComesFromAnUnknownFeatureModelAndFromValidateAlone(@TempDir Path tmp) {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = Reproduction.Options.of(Preset.of("smoke"), 3)
                .withFeatures("model:" + tmp.resolve("no-such-encoder.pt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reproduction.validate(run, o));
        assertTrue(e.getMessage().contains("no-such-encoder.pt"), e.getMessage());
        // the smoke preset on its own shapes is a configuration every stage accepts
        Reproduction.validate(run, Reproduction.Options.of(Preset.of("smoke"), 3));
        assertFalse(Files.exists(run.root()));
    }
}
