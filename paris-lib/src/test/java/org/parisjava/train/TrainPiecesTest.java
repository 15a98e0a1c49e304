package org.parisjava.train;

import org.parisjava.io.SafeTensors;
import org.parisjava.io.TensorDType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors, names, AdamW, EMA and checkpoints on a small MLP (no DiT needed). */
class TrainPiecesTest {
    @TempDir
    Path tmp;

    static Block mlp(NDManager m) {
        Engine.getInstance().setRandomSeed(7);
        SequentialBlock b = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
        b.initialize(m, DataType.FLOAT32, new Shape(4, 5));
        ParameterNames.of(b).values().forEach(p -> p.getArray().setRequiresGradient(true));
        return b;
    }

    /** One regression step on fixed data: loss, backward, clip, AdamW, EMA. */
    static float trainStep(Block b, AdamW opt, Ema ema, NDManager m, int step) {
        try (NDManager s = m.newSubManager()) {
            Engine.getInstance().setRandomSeed(1000 + step);
            NDArray x = s.randomNormal(new Shape(4, 5)); // (B, 5)
            NDArray y = x.sum(new int[] {1}, true).repeat(1, 3); // (B, 3)
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = b.forward(new ParameterStore(s, false), new NDList(x), true).singletonOrThrow();
                NDArray l = out.sub(y).square().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            GradientClipping.clipGlobalNorm(ParameterNames.of(b).values(), 1.0);
            opt.step(1e-2);
            ema.update();
            Gradients.zero(ParameterNames.of(b).values());
            return loss;
        }
    }

    @Test
    void namesAreStablePaths() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, ?> names = ParameterNames.of(mlp(m));
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(names.keySet()));
        }
    }

    @Test
    void safetensorsHeaderIsTheStandardFormat() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = tmp.resolve("t.safetensors");
            NDArray a = m.arange(6f).reshape(2, 3);
            NDArray b = m.create(new float[] {1.5f});
            SafeTensors.write(f, new java.util.LinkedHashMap<>(Map.of("a.weight", a)) {{ put("b", b); }},
                    Map.of("step", "12"));
            byte[] bytes = Files.readAllBytes(f);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8, "data must start 8-aligned");
            JsonObject h = JsonParser.parseString(new String(bytes, 8, (int) n, StandardCharsets.UTF_8)).getAsJsonObject();
            assertEquals("12", h.getAsJsonObject("__metadata__").get("step").getAsString());
            JsonObject aw = h.getAsJsonObject("a.weight");
            assertEquals("F32", aw.get("dtype").getAsString());
            assertEquals("[2,3]", aw.get("shape").toString());
            assertEquals("[0,24]", aw.get("data_offsets").toString());
            assertEquals("[24,28]", h.getAsJsonObject("b").get("data_offsets").toString());
            assertEquals(8 + n + 28, bytes.length);
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 28).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) {
                assertEquals(i, data.getFloat());
            }
            assertEquals(1.5f, data.getFloat());
            Map<String, NDArray> back = SafeTensors.read(f, m);
            assertArrayEquals(a.toFloatArray(), back.get("a.weight").toFloatArray());
            assertEquals(new Shape(2, 3), back.get("a.weight").getShape());
            NDArray half = a.toType(DataType.FLOAT16, false);
            SafeTensors.write(f, Map.of("h", half), Map.of());
            assertEquals(TensorDType.F16, SafeTensors.readHeader(f).entries().get("h").dtype());
            assertArrayEquals(a.toFloatArray(), SafeTensors.read(f, m).get("h").toType(DataType.FLOAT32, false).toFloatArray());
            Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f, m));
            assertTrue(e.getMessage().contains("a.weight") || e.getMessage().contains("b"), e.getMessage());
        }
    }

    @Test
    void checkpointRoundTripIsBitExactAndResumeMatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            // reference: 6 uninterrupted steps
            Block ref = mlp(m);
            var refNames = ParameterNames.of(ref);
            AdamW refOpt = new AdamW(refNames, AdamW.Options.defaults(0.01), m);
            Ema refEma = new Ema(refNames, 0.9, m);
            for (int s = 0; s < 6; s++) {
                trainStep(ref, refOpt, refEma, m, s);
            }
            // 3 steps, checkpoint, fresh objects, restore, 3 more
            Block a = mlp(m);
            var names = ParameterNames.of(a);
            AdamW opt = new AdamW(names, AdamW.Options.defaults(0.01), m);
            Ema ema = new Ema(names, 0.9, m);
            int before = m.getManagedArrays().size();
            for (int s = 0; s < 3; s++) {
                trainStep(a, opt, ema, m, s);
            }
            assertEquals(before, m.getManagedArrays().size(), "a training step must not leak arrays");
            CheckpointInfo info = new CheckpointInfo("test", "mlp", new JsonObject(), new JsonObject(), 3, 7,
                    "fixed", ema.updates(), 0, 0, "now", Map.of());
            Path dir = tmp.resolve("ckpt");
            Checkpoint.save(dir, info, a, ema, opt);
            Block b = mlp(m);
            var bNames = ParameterNames.of(b);
            AdamW bOpt = new AdamW(bNames, AdamW.Options.defaults(0.01), m);
            Ema bEma = new Ema(bNames, 0.9, m);
            Checkpoint c = Checkpoint.latest(dir).orElseThrow();
            assertEquals(3, c.info().step());
            c.restore(b, bEma, bOpt, m);
            assertBitEqual(ModelWeights.of(a), ModelWeights.of(b));
            assertBitEqual(ema.tensors(), bEma.tensors());
            assertBitEqual(opt.state(), bOpt.state());
            assertEquals(opt.step(), bOpt.step());
            for (int s = 3; s < 6; s++) {
                trainStep(b, bOpt, bEma, m, s);
            }
            assertBitEqual(ModelWeights.of(ref), ModelWeights.of(b));
            assertBitEqual(refEma.tensors(), bEma.tensors());
        }
    }

    @Test
    void partialCheckpointIsRefusedAndSkipped() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = mlp(m);
            var names = ParameterNames.of(a);
            AdamW opt = new AdamW(names, AdamW.Options.defaults(0), m);
            Ema ema = new Ema(names, 0.9, m);
            Path dir = tmp.resolve("ck");
            CheckpointInfo info = new CheckpointInfo("test", "mlp", new JsonObject(), new JsonObject(), 1, 7,
                    "fixed", 0, 0, 0, "now", Map.of());
            Checkpoint.save(dir, info, a, ema, opt);
            Checkpoint second = Checkpoint.save(dir, new CheckpointInfo("test", "mlp", new JsonObject(), new JsonObject(),
                    2, 7, "fixed", 0, 0, 0, "now", Map.of()), a, ema, opt);
            Files.write(second.dir().resolve(Checkpoint.EMA), new byte[10]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(second.dir()));
            assertTrue(e.getMessage().contains(Checkpoint.EMA), e.getMessage());
            assertEquals(1, Checkpoint.latest(dir).orElseThrow().info().step());
            assertFalse(Checkpoint.latest(tmp.resolve("none")).isPresent());
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(tmp.resolve("none")));
        }
    }

    static void assertBitEqual(Map<String, NDArray> x, Map<String, NDArray> y) {
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).toByteArray(), y.get(k).toByteArray(), k);
        }
    }
}
