package org.parisjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DiT-XL/2 expert in fp32 is about 2.4 GB, so its last tensors start past 2^31 bytes. The file
 * here has that layout (28 blocks of DiT-XL/2's per-block parameter count, then a final layer) but
 * the blocks' bytes are a sparse hole: the writer positions the channel past them, so the test needs
 * neither 2.4 GB of memory nor of disk, and the header, the offsets and the read of the last tensor
 * are the real code paths.
 */
class SafeTensorsLongOffsetTest {
    /** DiT-XL/2 (hidden 1152, MLP 4x, self- and cross-attention): parameters of one block. */
    private static final long BLOCK_PARAMS = 4L * 1152 * 1152 + 4 * 1152 // self-attention qkv + out
            + 4L * 1152 * 1152 + 4 * 1152 // cross-attention q, kv, out
            + 2L * 1152 * 4608 + 4608 + 1152 // MLP
            + 6 * 1152; // the block's AdaLN-Single table

    @TempDir
    Path dir;

    @Test
    void tensorsPastTwoGigabytesAreWrittenAndReadAtTheirLongOffsets() throws Exception {
        Path file = dir.resolve("dit-xl2.safetensors");
        float[] head = {1f, -2f, 3.5f};
        float[] last = new float[1152 * 8];
        for (int i = 0; i < last.length; i++) {
            last[i] = i * 0.25f - 7f;
        }
        List<SafeTensors.TensorSource> sources = new ArrayList<>();
        sources.add(new SafeTensors.TensorSource("x_embedder.bias", TensorDType.F32, new long[] {3},
                ch -> ch.write(floats(head))));
        for (int b = 0; b < 28; b++) {
            long n = BLOCK_PARAMS;
            sources.add(new SafeTensors.TensorSource("blocks." + b + ".weights", TensorDType.F32, new long[] {n},
                    ch -> ch.position(ch.position() + n * 4))); // a hole: zeros on read, no disk used
        }
        sources.add(new SafeTensors.TensorSource("final_layer.linear.weight", TensorDType.F32, new long[] {8, 1152},
                ch -> ch.write(floats(last))));
        SafeTensors.write(file, sources, Map.of("config", "DiT-XL/2"));

        long blocksBytes = 28 * BLOCK_PARAMS * 4;
        assertTrue(blocksBytes > (1L << 31), "the blocks alone pass 2^31 bytes: " + blocksBytes);
        SafeTensors.Header h = SafeTensors.readHeader(file);
        SafeTensors.Entry e = h.entries().get("final_layer.linear.weight");
        assertEquals(12 + blocksBytes, e.begin(), "offset after the head (12 bytes) and the blocks");
        assertEquals(e.begin() + last.length * 4L, e.end());
        assertEquals(h.dataStart() + e.end(), Files.size(file), "the file ends where the last tensor does");
        assertEquals("DiT-XL/2", h.metadata().get("config"));

        try (NDManager m = NDManager.newBaseManager(); SafeTensors.Reader r = SafeTensors.open(file)) {
            NDArray tail = r.read("final_layer.linear.weight", m, null);
            assertArrayEquals(new long[] {8, 1152}, tail.getShape().getShape());
            assertArrayEquals(last, tail.toFloatArray());
            assertArrayEquals(head, r.read("x_embedder.bias", m, null).toFloatArray());
        }
    }

    @Test
    void aSourceWritingTheWrongNumberOfBytesIsRefusedByName() {
        Path file = dir.resolve("short.safetensors");
        List<SafeTensors.TensorSource> sources = List.of(new SafeTensors.TensorSource("w", TensorDType.F32,
                new long[] {4}, ch -> ch.write(floats(new float[] {1f, 2f}))));
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> SafeTensors.write(file, sources, Map.of()));
        assertTrue(ex.getMessage().contains("Tensor w") && ex.getMessage().contains("needs 16"), ex.getMessage());
        assertTrue(Files.notExists(file), "nothing half-written is left");
    }

    private static ByteBuffer floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.flip();
    }
}
