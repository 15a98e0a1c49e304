package org.parisjava.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageU8;
import org.parisjava.io.SafeTensors;

/**
 * The Java CLIP vision tower and image preprocessing against transformers' CLIPModel,
 * CLIPVisionModelWithProjection and CLIPImageProcessorPil on the tiny fixture
 * (scripts/make_hf_clip_model_fixture.py).
 */
class ClipVisionModelTest {
    private static final double TOL = 1e-4;
    static final int IMAGES = 4;

    @TempDir
    Path tmp;

    /** hf-clip/{name}. */
    static Path clip(String name) {
        try {
            return Path.of(ClipVisionModelTest.class.getResource("/hf-clip/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, NDArray> reference(NDManager m) {
        return SafeTensors.read(clip("clip-model.reference.safetensors"), m);
    }

    /** Reference image n, (H, W, 3) bytes, as an ImageU8 (C, H, W). */
    static ImageU8 image(Map<String, NDArray> ref, int n) {
        NDArray hwc = ref.get("image" + n);
        int h = (int) hwc.getShape().get(0);
        int w = (int) hwc.getShape().get(1);
        int[] v = hwc.toType(DataType.INT32, false).toIntArray();
        byte[] chw = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    chw[(c * h + y) * w + x] = (byte) v[(y * w + x) * 3 + c];
                }
            }
        }
        return new ImageU8(3, h, w, chw);
    }

    @Test
    void matchesTransformersInBothLayouts() {
        for (Path dir : new Path[] {clip("clip-model"), clip("clip-separate/image_encoder")}) {
            try (NDManager m = NDManager.newBaseManager(); ClipVisionModel model = ClipVisionModel.load(dir, m)) {
                Map<String, NDArray> ref = reference(m);
                try (ClipVisionModel.Output o = model.forward(ref.get("pixels"))) {
                    assertEquals(new Shape(2, 17, 32), o.lastHiddenState().getShape());
                    HfFixtures.assertClose(ref.get("vision_last_hidden"), o.lastHiddenState(), TOL, dir + " last_hidden_state");
                    HfFixtures.assertClose(ref.get("vision_pooled"), o.pooled(), TOL, dir + " pooler_output");
                    HfFixtures.assertClose(ref.get("image_embeds"), o.imageEmbeds(), TOL, dir + " image_embeds");
                }
            }
        }
    }

    @Test
    void preprocessesAsClipImageProcessorAndEmbedsEndToEnd() {
        ClipImageProcessor old = ClipImageProcessor.read(clip("clip-model/preprocessor_config.json")); // "size": 32
        ClipImageProcessor dicts = ClipImageProcessor.read(clip("clip-separate/feature_extractor/preprocessor_config.json"));
        for (ClipImageProcessor p : List.of(old, dicts)) { // the two spellings of the same settings
            assertEquals(List.of(32, 0, 0, 32, true, true), List.of(p.shortestEdge(), p.height(), p.width(), p.crop(),
                    p.doResize(), p.doCenterCrop()));
            assertEquals(1 / 255.0, p.rescale(), 1e-12);
            assertArrayEquals(ClipImageProcessor.CLIP_MEAN, p.mean(), 1e-9);
            assertArrayEquals(ClipImageProcessor.CLIP_STD, p.std(), 1e-9);
        }
        assertEquals(32, old.shortestEdge());
        assertEquals(32, old.crop());
        try (NDManager m = NDManager.newBaseManager(); ClipVisionModel model = ClipVisionModel.load(clip("clip-model"), m)) {
            Map<String, NDArray> ref = reference(m);
            for (int n = 0; n < IMAGES; n++) {
                ImageU8 img = image(ref, n);
                for (ClipImageProcessor p : List.of(old, dicts)) {
                    NDArray px = m.create(p.pixels(List.of(img)), new Shape(1, 3, 32, 32));
                    // a resize off by one rounding would be 1/255/std = 0.015 away
                    HfFixtures.assertClose(ref.get("image" + n + "_pixel_values"), px, TOL,
                            "pixel_values of a " + img.height() + "x" + img.width() + " image");
                    try (ClipVisionModel.Output o = model.forward(px)) {
                        HfFixtures.assertClose(ref.get("image" + n + "_embeds"), o.imageEmbeds(), TOL, "image " + n);
                    }
                }
            }
        }
    }

    @Test
    void resizesAsPillowDoes() {
        // the kernel is Keys' cubic with a = -0.5: 1 at 0, 0 at the integers, 0 beyond 2
        assertEquals(1.0, PilBicubicResize.cubic(0), 0);
        assertEquals(0.0, PilBicubicResize.cubic(1), 0);
        assertEquals(0.0, PilBicubicResize.cubic(2.5), 0);
        assertEquals(-0.0625, PilBicubicResize.cubic(1.5), 1e-12);
        // a constant image stays constant at any size; the same size is a copy
        int[] flat = new int[6 * 5];
        java.util.Arrays.fill(flat, 77);
        for (int v : PilBicubicResize.resize(flat, 6, 5, 13, 2)) {
            assertEquals(77, v);
        }
        assertArrayEquals(flat, PilBicubicResize.resize(flat, 6, 5, 6, 5));
    }

    @Test
    void grayImagesAreReplicatedToRgb() {
        ClipImageProcessor p = ClipImageProcessor.defaults(8);
        byte[] g = new byte[10 * 12];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) (i * 7);
        }
        byte[] rgb = new byte[3 * g.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, rgb, c * g.length, g.length);
        }
        assertArrayEquals(p.pixels(List.of(new ImageU8(3, 10, 12, rgb))), p.pixels(List.of(new ImageU8(1, 10, 12, g))));
    }

    @Test
    void countsTheViTL14VisionTowerAsTransformersDoes() throws IOException {
        long expected = JsonParser.parseString(Files.readString(clip("clip-model.reference.json"))).getAsJsonObject()
                .get("parameters").getAsLong();
        assertEquals(303_966_208L, expected);
        assertEquals(expected, ClipVisionModel.parameterCount(ClipVisionConfig.VIT_L_14));
    }

    @Test
    void refusesAFolderWithoutTheProjectionOrWithAnUnknownTensor() throws IOException {
        Path src = clip("clip-separate/image_encoder");
        try (NDManager m = NDManager.newBaseManager()) {
            for (String edit : new String[] {"drop", "add"}) {
                Path dst = tmp.resolve(edit);
                Files.createDirectories(dst);
                Files.copy(src.resolve("config.json"), dst.resolve("config.json"));
                Map<String, NDArray> t = new LinkedHashMap<>(SafeTensors.read(src.resolve("model.safetensors"), m));
                if (edit.equals("drop")) {
                    t.remove("visual_projection.weight");
                } else {
                    t.put("vision_model.extra.weight", m.zeros(new Shape(2)));
                }
                SafeTensors.write(dst.resolve("model.safetensors"), t, Map.of("format", "pt"));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ClipVisionModel.load(dst, m).close());
                String name = edit.equals("drop") ? "visual_projection.weight" : "vision_model.extra.weight";
                assertTrue(e.getMessage().contains(name), e.getMessage());
            }
        }
    }

    @Test
    void refusesAnInputOfAnotherSide() {
        try (NDManager m = NDManager.newBaseManager(); ClipVisionModel model = ClipVisionModel.load(clip("clip-model"), m)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(m.zeros(new Shape(1, 3, 40, 40))));
            assertTrue(e.getMessage().contains("32"), e.getMessage());
        }
    }
}
