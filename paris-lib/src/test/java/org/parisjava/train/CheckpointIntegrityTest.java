package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.io.SafeTensors;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/** Checkpoints from failing disks and other tools: checksums, fallback, non-finite and BF16 weights. */
class CheckpointIntegrityTest {
    @TempDir
    Path tmp;

    private static CheckpointInfo info(long step) {
        return new CheckpointInfo("test", "mlp", new JsonObject(), new JsonObject(), step, 7, "fixed", 0, 0, 0,
                "now", Map.of());
    }

    /** Two checkpoints (steps 1 and 2) of a small MLP that trained one step in between. */
    private Path twoCheckpoints(NDManager m) {
        Block a = TrainPiecesTest.mlp(m);
        var names = ParameterNames.of(a);
        AdamW opt = new AdamW(names, AdamW.Options.defaults(0.01), m);
        Ema ema = new Ema(names, 0.9, m);
        Path dir = tmp.resolve("checkpoints");
        TrainPiecesTest.trainStep(a, opt, ema, m, 0);
        Checkpoint.save(dir, info(1), a, ema, opt);
        TrainPiecesTest.trainStep(a, opt, ema, m, 1);
        Checkpoint.save(dir, info(2), a, ema, opt);
        return dir;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    /** Flips one bit of {@code file} at byte {@code offset} from its end (inside the tensor data). */
    private static void flipBit(Path file, long fromEnd) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = ch.size() - fromEnd;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, pos);
        }
    }

    @Test
    void checkpointJsonRecordsTheSha256OfEachTensorFileAndTheThreads() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = twoCheckpoints(m);
            Checkpoint c = Checkpoint.latest(dir).orElseThrow();
            assertEquals(2, c.info().step());
            for (String f : List.of(Checkpoint.MODEL, Checkpoint.EMA, Checkpoint.OPTIMIZER)) {
                assertEquals(sha256(c.dir().resolve(f)), c.info().sha256().get(f), f);
            }
            // as written to disk, not only in memory
            CheckpointInfo onDisk = Json.read(c.dir().resolve(Checkpoint.INFO), CheckpointInfo.class);
            assertEquals(c.info().sha256(), onDisk.sha256());
            assertTrue(onDisk.threads().intraOp() >= 1, "threads recorded: " + onDisk.threads());
            assertEquals(Runtime.getRuntime().availableProcessors(), onDisk.threads().cores());
        }
    }

    @Test
    void peekingAtTheNewestInfoReadsOnlyItsJsonAndSkipsAnUnreadableOne() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = twoCheckpoints(m);
            Path newest = Checkpoint.latest(dir).orElseThrow().dir();
            flipBit(newest.resolve(Checkpoint.MODEL), 3); // damaged weights: latest() passes it over, a report need not
            assertEquals(2, Checkpoint.peekLatestInfo(dir).orElseThrow().step());
            assertEquals(1, Checkpoint.latest(dir).orElseThrow().info().step());
            Files.writeString(newest.resolve(Checkpoint.INFO), "{not json");
            assertEquals(1, Checkpoint.peekLatestInfo(dir).orElseThrow().step());
            assertTrue(Checkpoint.peekLatestInfo(tmp.resolve("none")).isEmpty());
        }
    }

    @Test
    void aFlippedBitIsRefusedNamingTheFileAndLatestFallsBack() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = twoCheckpoints(m);
            Path newest = dir.resolve("step-00000002");
            flipBit(newest.resolve(Checkpoint.MODEL), 3);
            DamagedCheckpointException e = assertThrows(DamagedCheckpointException.class, () -> Checkpoint.open(newest));
            assertEquals(newest.resolve(Checkpoint.MODEL), e.file());
            assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("SHA-256"),
                    e.getMessage());
            Checkpoint fallback = Checkpoint.latest(dir).orElseThrow();
            assertEquals(1, fallback.info().step(), "the newest checkpoint that verifies");
            // flipping the bit back restores it: the check is on content, not on the file's time
            flipBit(newest.resolve(Checkpoint.MODEL), 3);
            assertEquals(2, Checkpoint.latest(dir).orElseThrow().info().step());
        }
    }

    @Test
    void aTruncatedFileIsRefusedWithItsSize() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = twoCheckpoints(m);
            Path newest = dir.resolve("step-00000002");
            Path opt = newest.resolve(Checkpoint.OPTIMIZER);
            long size = Files.size(opt);
            try (FileChannel ch = FileChannel.open(opt, StandardOpenOption.WRITE)) {
                ch.truncate(size - 100);
            }
            DamagedCheckpointException e = assertThrows(DamagedCheckpointException.class, () -> Checkpoint.open(newest));
            assertEquals(opt, e.file());
            assertTrue(e.getMessage().contains((size - 100) + " bytes") && e.getMessage().contains(Long.toString(size)),
                    e.getMessage());
            assertEquals(1, Checkpoint.latest(dir).orElseThrow().info().step());
        }
    }

    @Test
    void aFolderMixingFilesOfTwoCheckpointsIsRefused() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = twoCheckpoints(m);
            Path older = dir.resolve("step-00000001");
            Path newest = dir.resolve("step-00000002");
            // same size, other content: what two processes writing one expert leave behind
            assertEquals(Files.size(older.resolve(Checkpoint.EMA)), Files.size(newest.resolve(Checkpoint.EMA)));
            assertNotEquals(sha256(older.resolve(Checkpoint.EMA)), sha256(newest.resolve(Checkpoint.EMA)));
            Files.copy(older.resolve(Checkpoint.EMA), newest.resolve(Checkpoint.EMA), StandardCopyOption.REPLACE_EXISTING);
            DamagedCheckpointException e = assertThrows(DamagedCheckpointException.class, () -> Checkpoint.open(newest));
            assertEquals(newest.resolve(Checkpoint.EMA), e.file());
            assertEquals(1, Checkpoint.latest(dir).orElseThrow().info().step());
            // every checkpoint damaged: nothing to resume from
            flipBit(older.resolve(Checkpoint.OPTIMIZER), 1);
            assertFalse(Checkpoint.latest(dir).isPresent());
        }
    }

    @Test
    void nanWeightsAreRefusedAtLoadNamingFileAndTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainPiecesTest.mlp(m);
            var names = ParameterNames.of(a);
            AdamW opt = new AdamW(names, AdamW.Options.defaults(0.01), m);
            Ema ema = new Ema(names, 0.9, m);
            String victim = names.keySet().stream().skip(2).findFirst().orElseThrow();
            NDArray w = names.get(victim).getArray();
            float[] v = w.toFloatArray();
            v[1] = Float.NaN;
            v[2] = Float.POSITIVE_INFINITY;
            w.set(v);
            Checkpoint c = Checkpoint.save(tmp.resolve("ck"), info(1), a, ema, opt);
            Block b = TrainPiecesTest.mlp(m);
            var bNames = ParameterNames.of(b);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.restore(b, new Ema(bNames, 0.9, m), new AdamW(bNames, AdamW.Options.defaults(0.01), m), m));
            assertTrue(e.getMessage().contains(c.dir().resolve(Checkpoint.MODEL).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("tensor " + victim + " holds 2 of "), e.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> c.loadWeights(b, false));
            assertEquals(e.getMessage(), e2.getMessage());
            // the target model was not touched by the refused load
            assertFalse(bNames.get(victim).getArray().isNaN().any().getBoolean());
        }
    }

    /** A BF16 copy of {@code tensors} in the safetensors format, as PyTorch tools write it (upper 16 bits of each float). */
    private static void writeBf16(Path file, Map<String, NDArray> tensors) throws Exception {
        JsonObject header = new JsonObject();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (var e : tensors.entrySet()) {
            float[] f = e.getValue().toFloatArray();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", "BF16");
            com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
            for (long d : e.getValue().getShape().getShape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            com.google.gson.JsonArray offs = new com.google.gson.JsonArray();
            offs.add(data.size());
            ByteBuffer b = ByteBuffer.allocate(2 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : f) {
                b.putShort((short) (Float.floatToRawIntBits(x) >>> 16));
            }
            data.write(b.array());
            offs.add(data.size());
            o.add("data_offsets", offs);
            header.add(e.getKey(), o);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        out.write(data.toByteArray());
        Files.write(file, out.toByteArray());
    }

    @Test
    void aBf16CheckpointLoadsConvertedToFloat32() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainPiecesTest.mlp(m);
            var names = ParameterNames.of(a);
            Checkpoint c = Checkpoint.save(tmp.resolve("ck"), info(1), a, new Ema(names, 0.9, m),
                    new AdamW(names, AdamW.Options.defaults(0.01), m));
            // the model file rewritten in BF16 by another tool, which records no size or checksum for it
            writeBf16(c.dir().resolve(Checkpoint.MODEL), ModelWeights.of(a));
            CheckpointInfo i = c.info();
            Map<String, Long> sizes = new LinkedHashMap<>(i.fileSizes());
            Map<String, String> sums = new LinkedHashMap<>(i.sha256());
            sizes.remove(Checkpoint.MODEL);
            sums.remove(Checkpoint.MODEL);
            Json.write(c.dir().resolve(Checkpoint.INFO), i.withFiles(sizes, sums));
            assertEquals("BF16", SafeTensors.readHeader(c.dir().resolve(Checkpoint.MODEL)).entries().values()
                    .iterator().next().dtype().name());
            Block b = TrainPiecesTest.mlp(m);
            ParameterNames.of(b).values().forEach(p -> p.getArray().set(new float[(int) p.getArray().size()]));
            Checkpoint.open(c.dir()).loadWeights(b, false);
            var got = ModelWeights.of(b);
            for (var e : ModelWeights.of(a).entrySet()) {
                float[] want = e.getValue().toFloatArray();
                for (int k = 0; k < want.length; k++) {
                    want[k] = Float.intBitsToFloat(Float.floatToRawIntBits(want[k]) & 0xffff0000);
                }
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, got.get(e.getKey()).getDataType());
                assertArrayEquals(want, got.get(e.getKey()).toFloatArray(), 0f, e.getKey());
            }
        }
    }

    @Test
    void anExpertResumesFromTheNewestCheckpointThatVerifies() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Path shard = TestShards.write(run, 0, 8);
        TrainResult straight = ExpertTrainer.train(shard, tmp.resolve("straight"), TestShards.options(6, 2),
                ProgressListener.NONE);
        Path out = tmp.resolve("damaged");
        ExpertTrainer.train(shard, out, TestShards.options(4, 2), ProgressListener.NONE);
        Path ck = out.resolve(FlowTrainer.CHECKPOINTS);
        flipBit(ck.resolve("step-00000004").resolve(Checkpoint.MODEL), 5);
        TrainResult resumed = ExpertTrainer.train(shard, out, TestShards.options(6, 2), ProgressListener.NONE);
        assertEquals(2, resumed.startStep(), "step 4 is damaged: resume from step 2");
        for (String f : List.of(Checkpoint.MODEL, Checkpoint.EMA, Checkpoint.OPTIMIZER)) {
            assertArrayEquals(Files.readAllBytes(straight.checkpoint().resolve(f)),
                    Files.readAllBytes(resumed.checkpoint().resolve(f)), f);
        }
    }
}
