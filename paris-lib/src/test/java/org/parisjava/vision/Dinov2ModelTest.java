package org.parisjava.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java DINOv2 against transformers' Dinov2Model on the tiny fixture (scripts/make_hf_dinov2_fixture.py). */
class Dinov2ModelTest {
    private static final String TINY = "tiny-dinov2";
    private static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    @Test
    void matchesTransformersOnTheTrainedGridAndAnInterpolatedOne() {
        try (NDManager m = NDManager.newBaseManager(); Dinov2Model model = Dinov2Model.load(HfFixtures.folder(TINY), m)) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            HfFixtures.assertClose(ref.get("hidden"), model.forward(ref.get("pixels")), TOL, "56x56 last_hidden_state");
            // 42 x 70 pixels: a 3 x 5 grid from the trained 4 x 4 table (bicubic, down in rows, up in columns)
            NDArray wide = model.forward(ref.get("wide"));
            assertEquals(new Shape(1, 16, 32), wide.getShape());
            HfFixtures.assertClose(ref.get("wide_hidden"), wide, TOL, "42x70 last_hidden_state");
            // the cached table is used the second time and gives the same answer
            HfFixtures.assertClose(ref.get("wide_hidden"), model.forward(ref.get("wide")), TOL, "42x70 again");
        }
    }

    @Test
    void featuresAreTheClsTokenAndTheMeanPatchToken() {
        try (NDManager m = NDManager.newBaseManager(); Dinov2Model model = Dinov2Model.load(HfFixtures.folder(TINY), m)) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            NDArray[] f = model.features(ref.get("pixels"));
            HfFixtures.assertClose(ref.get("pooled"), f[0], TOL, "CLS = pooler_output");
            NDArray meanPatch = ref.get("hidden").get(new NDIndex(":, 1:, :")).mean(new int[] {1});
            HfFixtures.assertClose(meanPatch, f[1], TOL, "mean of the patch tokens");
        }
    }

    @Test
    void countsParametersAsTransformersDoes() throws IOException {
        var json = HfFixtures.referenceJson(TINY);
        assertEquals(304_368_640L, json.get("dinov2_large_parameters").getAsLong());
        assertEquals(json.get("dinov2_large_parameters").getAsLong(), Dinov2Model.parameterCount(Dinov2Config.DINOV2_LARGE));
        try (NDManager m = NDManager.newBaseManager(); Dinov2Model model = Dinov2Model.load(HfFixtures.folder(TINY), m)) {
            assertEquals(json.get("tiny_parameters").getAsLong(), Dinov2Model.parameterCount(model.config()));
        }
    }

    @Test
    void acceptsTheNamesTransformers5UsesInMemory() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path renamed = HfFixtures.tamperedCopy(TINY, tmp, m, t -> {
                Map<String, NDArray> copy = new LinkedHashMap<>();
                t.forEach((k, v) -> copy.put(k.replace(".attention.attention.query.", ".attention.q_proj.")
                        .replace(".attention.output.dense.", ".attention.o_proj."), v));
                t.clear();
                t.putAll(copy);
            });
            try (Dinov2Model model = Dinov2Model.load(renamed, m)) {
                Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
                HfFixtures.assertClose(ref.get("hidden"), model.forward(ref.get("pixels")), TOL, "renamed weights");
            }
        }
    }

    @Test
    void namesMissingUnexpectedAndMisshapenTensors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path missing = HfFixtures.tamperedCopy(TINY, tmp.resolve("a"), m,
                    t -> t.remove("encoder.layer.1.layer_scale2.lambda1"));
            var e1 = assertThrows(IllegalArgumentException.class, () -> Dinov2Model.load(missing, m));
            assertTrue(e1.getMessage().contains("encoder.layer.1.layer_scale2.lambda1"), e1.getMessage());

            Path extra = HfFixtures.tamperedCopy(TINY, tmp.resolve("b"), m,
                    t -> t.put("encoder.layer.2.norm1.weight", m.ones(new Shape(32))));
            var e2 = assertThrows(IllegalArgumentException.class, () -> Dinov2Model.load(extra, m));
            assertTrue(e2.getMessage().contains("encoder.layer.2.norm1.weight (model.safetensors)"), e2.getMessage());

            Path bad = HfFixtures.tamperedCopy(TINY, tmp.resolve("c"), m,
                    t -> t.put("embeddings.position_embeddings", m.zeros(new Shape(1, 10, 32))));
            var e3 = assertThrows(IllegalArgumentException.class, () -> Dinov2Model.load(bad, m));
            assertTrue(e3.getMessage().contains("embeddings.position_embeddings") && e3.getMessage().contains("[1, 17, 32]"),
                    e3.getMessage());
        }
    }
}
