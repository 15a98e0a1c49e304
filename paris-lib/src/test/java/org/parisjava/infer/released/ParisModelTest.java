package org.parisjava.infer.released;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplingResult;
import org.parisjava.io.SafeTensors;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.TextBatch;

/**
 * The tiny folder in the released Paris layout (scripts/make_paris_fixture.py) against its PyTorch
 * reference: one expert's velocity (F32 and F16 files), the router's logits, the CLIP states, and
 * 4-step top-2 and full samples, each within 1e-4; lazy loading; and the loader's errors.
 */
class ParisModelTest {
    static final Path TINY = Path.of("src/test/resources/paris-tiny");
    static final Path REFERENCE = Path.of("src/test/resources/paris-tiny.reference.safetensors");
    private static final double TOL = 1e-4;
    private static final List<String> PROMPTS = List.of("a red circle", "a small blue square");

    @Test
    void expertsAndRouterMatchTheReference() {
        try (NDManager m = NDManager.newBaseManager(); ParisModel model = ParisModel.load(TINY)) {
            Map<String, NDArray> ref = SafeTensors.read(REFERENCE, m);
            assertEquals(4, model.experts());
            assertArrayEquals(new boolean[4], model.loadedExperts(), "experts load lazily");
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = ref.get("expert_x");
            NDArray mask = m.ones(new Shape(2, 77));
            NDList in = new NDList(x, ref.get("expert_t"), ref.get("expert_text"), mask);
            assertClose(ref.get("expert_v"), model.expert(0).forward(ps, in, false).singletonOrThrow(), "expert 0");
            assertClose(ref.get("expert3_v"), model.expert(3).forward(ps, in, false).singletonOrThrow(),
                    "expert 3 (F16 file)");
            assertArrayEquals(new boolean[] {true, false, false, true}, model.loadedExperts());
            NDArray logits = model.router().forward(ps, new NDList(ref.get("router_x"), ref.get("router_t")), false)
                    .singletonOrThrow();
            assertClose(ref.get("router_logits"), logits, "router logits");
            try (TextBatch cond = model.encode(PROMPTS, m); TextBatch empty = model.encode(List.of(""), m)) {
                assertClose(ref.get("clip_cond"), cond.tokens(), "CLIP states");
                assertClose(ref.get("clip_empty"), empty.tokens(), "CLIP states of the empty prompt");
            }
            model.releaseExperts();
            assertArrayEquals(new boolean[4], model.loadedExperts());
        }
    }

    @Test
    void fourStepTopTwoAndFullSamplesMatchTheReference() {
        try (NDManager m = NDManager.newBaseManager(); ParisModel model = ParisModel.load(TINY)) {
            Map<String, NDArray> ref = SafeTensors.read(REFERENCE, m);
            float[] noise = ref.get("sample_noise").toFloatArray();
            SamplingResult top2 = model.sampleLatents(PROMPTS, 1, RoutingStrategy.parse("top-2"), 4, 3.0, 0, noise,
                    ProgressListener.NONE);
            assertClose(ref.get("sample_top2"), m.create(top2.pixels(), new Shape(2, 4, 8, 8)), "top-2 sample");
            assertEquals(4, top2.usage().steps().size());
            SamplingResult full = model.sampleLatents(PROMPTS, 1, RoutingStrategy.parse("full"), 4, 3.0, 0, noise,
                    ProgressListener.NONE);
            assertClose(ref.get("sample_full"), m.create(full.pixels(), new Shape(2, 4, 8, 8)), "full sample");
            float[] images = model.decode(top2);
            assertEquals(2 * 3 * 16 * 16, images.length);
            assertEquals(16, model.imageSpec().height());
        }
    }

    @Test
    void aMissingExpertFolderIsDroppedWithTheOthersRenormalized(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        deleteTree(dir.resolve("expert_2"));
        try (ParisModel model = ParisModel.load(dir)) {
            assertNull(model.expert(2));
            SamplingResult r = model.sampleLatents(List.of("a red circle"), 2, RoutingStrategy.parse("full"), 2, 3.0,
                    5, null, ProgressListener.NONE);
            for (var step : r.usage().steps()) {
                assertEquals(0, step.weightSum()[2], 0, "the missing expert gets no weight");
            }
            assertFalse(model.loadedExperts()[2]);
        }
    }

    @Test
    void unexpectedMissingAndMisshapenTensorsAreNamed(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        Path file = dir.resolve("expert_1/diffusion_pytorch_model.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> good = new LinkedHashMap<>(SafeTensors.read(file, m));

            Map<String, NDArray> extra = new LinkedHashMap<>(good);
            extra.put("layers.0.norm1.weight", m.ones(new Shape(16)));
            SafeTensors.write(file, extra, Map.of());
            assertMessage(dir, 1, "layers.0.norm1.weight");

            Map<String, NDArray> missing = new LinkedHashMap<>(good);
            missing.remove("layers.1.cross_attn.in_proj_weight");
            SafeTensors.write(file, missing, Map.of());
            assertMessage(dir, 1, "layers.1.cross_attn.in_proj_weight");

            Map<String, NDArray> misshapen = new LinkedHashMap<>(good);
            misshapen.put("pos_embed", m.zeros(new Shape(1, 64, 16)));
            SafeTensors.write(file, misshapen, Map.of());
            assertMessage(dir, 1, "pos_embed");
        }
    }

    private static void assertMessage(Path dir, int expert, String tensor) {
        try (ParisModel model = ParisModel.load(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.expert(expert));
            assertTrue(e.getMessage().contains(tensor), e.getMessage());
            assertTrue(e.getMessage().contains("expert_" + expert), e.getMessage());
        }
    }

    static Path copy(Path tmp) throws IOException {
        Path dir = tmp.resolve("paris");
        try (Stream<Path> all = Files.walk(TINY)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = dir.resolve(TINY.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void assertClose(NDArray want, NDArray got, String what) {
        assertEquals(want.getShape(), got.getShape(), what + ": shape");
        float[] a = want.toFloatArray();
        float[] b = got.toFloatArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst <= TOL, what + ": max |diff| " + worst + " > " + TOL);
    }
}
