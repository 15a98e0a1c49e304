package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.data.ShapesDataset;
import org.parisjava.run.ProgressListener;
import org.parisjava.train.StopRequest;

class FeatureClassifierTest {
    @TempDir
    Path tmp;

    @Test
    void learnsShapeAndColourAndItsFeaturesSeparateRealFromNoise() {
        ShapesDataset shapes = new ShapesDataset(400, 16, 5);
        List<Sample> samples = IntStream.range(0, 300).mapToObj(shapes::sample).collect(Collectors.toList());
        ClassifierConfig c = ClassifierConfig.forShapes(shapes.spec());
        try (FeatureClassifier fc = FeatureClassifier.train(samples, c,
                new FeatureClassifier.Options(60, 32, 3e-3, 60, 1), ProgressListener.NONE)) {
            // Chance is 1/7 for colour, a large uniform patch that a few steps learn; shape (chance 1/6)
            // needs longer training than a unit test affords, so it is only reported here.
            assertTrue(fc.info().accuracy().get("color") > 0.6, "held-out accuracy " + fc.info().accuracy());
            assertEquals(240, fc.info().trainImages());

            List<Sample> fresh = IntStream.range(300, 400).mapToObj(shapes::sample).collect(Collectors.toList());
            List<ImageU8> images = fresh.stream().map(Sample::image).collect(Collectors.toList());
            PromptAdherence adherence = PromptAdherence.of(fc, images,
                    fresh.stream().map(Sample::attributes).collect(Collectors.toList()));
            assertTrue(adherence.perAttribute().get("color") > 0.6, "adherence of real images " + adherence);

            // FD-feat: two halves of real data are close; real against noise images is far.
            float[][] a = fc.features(images.subList(0, 50));
            float[][] b = fc.features(images.subList(50, 100));
            Random r = new Random(3);
            List<ImageU8> noise = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] px = new byte[3 * 16 * 16];
                r.nextBytes(px);
                noise.add(new ImageU8(3, 16, 16, px));
            }
            double real = FrechetDistance.between(a, b);
            double fake = FrechetDistance.between(a, fc.features(noise));
            assertTrue(fake > 3 * real, "FD real/real " + real + ", real/noise " + fake);

            fc.save(tmp);
            try (FeatureClassifier back = FeatureClassifier.load(tmp)) {
                assertArrayEquals(a[7], back.features(images.subList(7, 8))[0], 1e-6f);
                assertEquals(fc.info().accuracy(), back.info().accuracy());
                assertEquals(Map.copyOf(c.heads()), Map.copyOf(back.config().heads()));
            }
        }
    }

    @Test
    void trainingStoppedInAFolderResumesToTheClassifierOfAnUninterruptedRun() {
        ShapesDataset shapes = new ShapesDataset(120, 16, 9);
        List<Sample> samples = IntStream.range(0, 120).mapToObj(shapes::sample).collect(Collectors.toList());
        List<ImageU8> images = samples.subList(0, 8).stream().map(Sample::image).collect(Collectors.toList());
        ClassifierConfig c = ClassifierConfig.forShapes(shapes.spec());
        FeatureClassifier.Options o = new FeatureClassifier.Options(12, 16, 3e-3, 20, 2);
        Path dir = tmp.resolve("classifier");
        FeatureClassifier.Trained stopped = FeatureClassifier.train(samples, c, o, dir, ProgressListener.NONE,
                StopRequest.atStep(5));
        assertNull(stopped.classifier());
        assertTrue(stopped.training().stoppedEarly());
        assertEquals(5, stopped.training().steps());
        try (FeatureClassifier full = FeatureClassifier.train(samples, c, o, ProgressListener.NONE);
             FeatureClassifier resumed = FeatureClassifier.train(samples, c, o, dir, ProgressListener.NONE,
                     StopRequest.NEVER).classifier()) {
            float[][] a = full.features(images);
            float[][] b = resumed.features(images);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0f, "features of image " + i);
            }
            assertEquals(full.info().accuracy(), resumed.info().accuracy());
        }
    }
}
