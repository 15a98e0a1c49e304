package org.parisjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelFolderTest {

    @TempDir
    Path tmp;

    /** Writes a safetensors file byte by byte, as Python's safetensors lays it out, with any header text. */
    static void writeRaw(Path file, String headerJson, byte[] data) throws IOException {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        out.write(data);
        Files.write(file, out.toByteArray());
    }

    private static byte[] le(int bytesEach, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesEach).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesEach) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** F32, F16, BF16 and F64 tensors of known values, with "__metadata__": null as Python may write it. */
    private Path mixedDtypeFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mixed"));
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 3, \"layer_norm_eps\": 1e-5}");
        byte[] f32 = le(4, Float.floatToIntBits(1.5f), Float.floatToIntBits(-2f), Float.floatToIntBits(0.1f));
        // binary16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 (max) = 0x7BFF, smallest subnormal 2^-24 = 0x0001
        byte[] f16 = le(2, 0x3C00, 0xC000, 0x7BFF, 0x0001);
        // bfloat16 is the top half of a float32: 1.0 = 0x3F80, -3.140625 = 0xC049, 1e30-ish = 0x7149
        byte[] bf16 = le(2, 0x3F80, 0xC049, 0x7149);
        byte[] f64 = le(8, Double.doubleToLongBits(0.25), Double.doubleToLongBits(-1e-3));
        String header = "{\"__metadata__\": null,"
                + "\"a.weight\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 12]},"
                + "\"b.weight\": {\"dtype\": \"F16\", \"shape\": [2, 2], \"data_offsets\": [12, 20]},"
                + "\"c.weight\": {\"dtype\": \"BF16\", \"shape\": [3], \"data_offsets\": [20, 26]},"
                + "\"d.bias\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [26, 42]}}";
        writeRaw(dir.resolve("model.safetensors"), header, concat(f32, f16, bf16, f64));
        return dir;
    }

    @Test
    void readsEveryFloatDtypeAsFloat32AndAcceptsNullMetadata() throws IOException {
        Path dir = mixedDtypeFolder();
        assertTrue(SafeTensors.readHeader(dir.resolve("model.safetensors")).metadata().isEmpty());
        try (HfModelFolder f = HfModelFolder.open(dir); NDManager m = NDManager.newBaseManager()) {
            assertEquals(3, f.configInt("hidden_size"));
            assertEquals(1e-5, f.configDouble("layer_norm_eps", 0), 0);
            NDArray a = f.take("a.weight", m, 3);
            NDArray b = f.take("b.weight", m, 2, 2);
            NDArray c = f.take("c.weight", m, 3);
            NDArray d = f.take("d.bias", m, 2);
            for (NDArray x : new NDArray[] {a, b, c, d}) {
                assertEquals(DataType.FLOAT32, x.getDataType());
            }
            assertArrayEquals(new float[] {1.5f, -2f, 0.1f}, a.toFloatArray());
            assertEquals(new Shape(2, 2), b.getShape());
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, b.toFloatArray());
            assertArrayEquals(new float[] {1f, -3.140625f, Float.intBitsToFloat(0x71490000)}, c.toFloatArray());
            assertArrayEquals(new float[] {0.25f, -1e-3f}, d.toFloatArray());
            f.finish();
        }
    }

    @Test
    void safeTensorsReadNoLongerHandsBf16ToTheEngine() throws IOException {
        Path dir = mixedDtypeFolder();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> all = SafeTensors.read(dir.resolve("model.safetensors"), m);
            assertEquals(DataType.FLOAT32, all.get("c.weight").getDataType());
            assertEquals(DataType.FLOAT16, all.get("b.weight").getDataType(), "other dtypes keep their type");
            assertArrayEquals(new float[] {1f, -3.140625f, Float.intBitsToFloat(0x71490000)},
                    all.get("c.weight").toFloatArray());
            Map<String, NDArray> f64 = SafeTensors.read(dir.resolve("model.safetensors"), m, DataType.FLOAT64);
            assertArrayEquals(new double[] {0.25, -1e-3}, f64.get("d.bias").toDoubleArray());
            assertArrayEquals(new double[] {1.5, -2, 0.1f}, f64.get("a.weight").toDoubleArray());
        }
    }

    @Test
    void halfFloatSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertEquals(-0f, HalfFloats.f16ToFloat((short) 0x8000));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400)); // smallest normal
        assertEquals(0x3ffp-24f, HalfFloats.f16ToFloat((short) 0x03FF)); // largest subnormal
        assertEquals(-1.5f, HalfFloats.bf16ToFloat((short) 0xBFC0));
    }

    private Path shardedFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        Files.writeString(dir.resolve("config.json"), "{}");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> one = new LinkedHashMap<>();
            one.put("enc.weight", m.arange(6f).reshape(2, 3));
            Map<String, NDArray> two = new LinkedHashMap<>();
            two.put("enc.bias", m.create(new float[] {7, 8}));
            two.put("dec.weight", m.ones(new Shape(4)).toType(DataType.FLOAT16, false));
            SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), one, Map.of());
            SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), two, Map.of());
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {\"total_size\": 40},"
                + " \"weight_map\": {\"enc.weight\": \"model-00001-of-00002.safetensors\","
                + " \"enc.bias\": \"model-00002-of-00002.safetensors\","
                + " \"dec.weight\": \"model-00002-of-00002.safetensors\"}}");
        return dir;
    }

    @Test
    void readsShardsThroughTheIndex() throws IOException {
        Path dir = shardedFolder();
        try (HfModelFolder f = HfModelFolder.open(dir); NDManager m = NDManager.newBaseManager()) {
            assertEquals(2, f.weightFiles().size());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f.take("enc.weight", m, 2, 3).toFloatArray());
            assertArrayEquals(new float[] {7, 8}, f.take("enc.bias", m, 2).toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1, 1}, f.take("dec.weight", m, 4).toFloatArray());
            f.finish();
        }
    }

    @Test
    void indexThatMisplacesATensorIsNamed() throws IOException {
        Path dir = shardedFolder();
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {"
                + "\"enc.weight\": \"model-00002-of-00002.safetensors\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfModelFolder.open(dir));
        assertTrue(e.getMessage().contains("enc.weight") && e.getMessage().contains("model-00002-of-00002"),
                e.getMessage());
    }

    @Test
    void missingWrongShapeAndUnexpectedTensorsAreNamedWithTheirFile() throws IOException {
        Path dir = mixedDtypeFolder();
        try (HfModelFolder f = HfModelFolder.open(dir); NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> f.take("z.weight", m, 3));
            assertTrue(missing.getMessage().contains("z.weight") && missing.getMessage().contains("model.safetensors"),
                    missing.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> f.take("b.weight", m, 4));
            assertTrue(shape.getMessage().contains("b.weight") && shape.getMessage().contains("[2, 2]")
                    && shape.getMessage().contains("[4]") && shape.getMessage().contains("model.safetensors"),
                    shape.getMessage());
            f.take("a.weight", m, 3);
            assertThrows(IllegalArgumentException.class, () -> f.take("a.weight", m, 3), "claimed twice");
            f.take("b.weight", m, 2, 2);
            IllegalArgumentException unexpected = assertThrows(IllegalArgumentException.class, f::finish);
            assertTrue(unexpected.getMessage().contains("c.weight (model.safetensors)")
                    && unexpected.getMessage().contains("d.bias"), unexpected.getMessage());
            assertEquals(2, f.ignore(n -> n.startsWith("c.") || n.startsWith("d.")));
            f.finish();
        }
    }

    @Test
    void folderProblemsAreNamed() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException noConfig = assertThrows(IllegalArgumentException.class,
                () -> HfModelFolder.open(empty));
        assertTrue(noConfig.getMessage().contains("config.json") && noConfig.getMessage().contains("empty"),
                noConfig.getMessage());
        Files.writeString(empty.resolve("config.json"), "{}");
        IllegalArgumentException noWeights = assertThrows(IllegalArgumentException.class,
                () -> HfModelFolder.open(empty));
        assertTrue(noWeights.getMessage().contains("No *.safetensors"), noWeights.getMessage());

        Path dir = mixedDtypeFolder();
        Files.copy(dir.resolve("model.safetensors"), dir.resolve("model.fp16.safetensors"));
        try (HfModelFolder f = HfModelFolder.open(dir)) {
            assertEquals("model.safetensors", f.weightFiles().get(0).getFileName().toString());
        }
        try (HfModelFolder f = HfModelFolder.open(dir, "fp16")) {
            assertEquals("model.fp16.safetensors", f.weightFiles().get(0).getFileName().toString());
        }
        writeRaw(dir.resolve("model.safetensors"), "{\"x\": {\"dtype\": \"F32\", \"shape\": [4], "
                + "\"data_offsets\": [0, 16]}}", new byte[8]);
        IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
                () -> HfModelFolder.open(dir));
        assertTrue(truncated.getMessage().contains("x") && truncated.getMessage().contains("model.safetensors"),
                truncated.getMessage());
        writeRaw(dir.resolve("model.safetensors"), "{\"x\": {\"dtype\": \"F8_E4M3\", \"shape\": [4], "
                + "\"data_offsets\": [0, 4]}}", new byte[4]);
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> HfModelFolder.open(dir));
        assertTrue(dtype.getMessage().contains("F8_E4M3") && dtype.getMessage().contains("model.safetensors"),
                dtype.getMessage());
    }
}
