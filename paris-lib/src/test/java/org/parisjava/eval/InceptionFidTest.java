package org.parisjava.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parisjava.data.ImageU8;

/** Loads the tiny TorchScript stand-in written by resources/inception/make_tiny_inception.py. */
class InceptionFidTest {
    private static Path resource(String name) throws Exception {
        return Path.of(InceptionFidTest.class.getResource("/inception/" + name).toURI());
    }

    @Test
    void loadsTorchScriptAndReproducesThePythonOutput() throws Exception {
        JsonObject ref = JsonParser.parseString(Files.readString(resource("tiny_inception_ref.json"))).getAsJsonObject();
        int b = ref.get("batch").getAsInt();
        int s = ref.get("size").getAsInt();
        float[] x = new float[b * 3 * s * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (((i * 7919L) % 2001) / 1000.0 - 1.0);
        }
        try (InceptionFid fid = InceptionFid.load(resource("tiny_inception.pt"), InceptionFid.InputRange.MINUS_ONE_ONE,
                s, 2)) {
            float[][] f = fid.forwardPrepared(x, b);
            var expected = ref.getAsJsonArray("output");
            int d = f[0].length;
            assertEquals(8, d);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).getAsFloat(), f[i / d][i % d], 1e-4f, "feature " + i);
            }
            // The image path: grey and RGB images of any size become (3, 299, 299) rows.
            List<ImageU8> images = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] px = new byte[16 * 16];
                java.util.Arrays.fill(px, (byte) (40 * i));
                images.add(new ImageU8(1, 16, 16, px));
            }
            float[][] feats = fid.features(images);
            assertEquals(3, feats.length);
            assertEquals(0.0, fid.fid(images, images), 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> InceptionFid.load(Path.of("no-such-inception.pt")));
    }

    @Test
    void preparationResizesBilinearlyIntoTheExportRange() throws Exception {
        ImageU8 img = new ImageU8(1, 2, 2, new byte[] {0, (byte) 255, 0, (byte) 255}); // left black, right white
        try (InceptionFid prep = InceptionFid.load(resource("tiny_inception.pt"), InceptionFid.InputRange.ZERO_ONE,
                4, 1)) {
            float[] dst = new float[3 * 4 * 4];
            prep.prepare(img, dst, 0);
            // A 4x4 output of a 2x2 input: columns sample at 0, 0.25, 0.75, 1 of the way from left to right.
            assertEquals(0f, dst[0], 1e-6f);
            assertEquals(0.25f, dst[1], 1e-6f);
            assertEquals(0.75f, dst[2], 1e-6f);
            assertEquals(1f, dst[3], 1e-6f);
            assertEquals(dst[5], dst[16 + 5], 1e-6f); // grey replicated into every channel
        }
    }
}
