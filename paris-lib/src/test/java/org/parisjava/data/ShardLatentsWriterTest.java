package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latents beside a shard's images: any channel count, recorded with the codec and its scale, checked on open. */
class ShardLatentsWriterTest {
    @TempDir
    Path tmp;

    private Path shard(int n) {
        Path dir = tmp.resolve("cluster-00");
        try (ShardWriter w = new ShardWriter(dir, 0, new ImageSpec(3, 4, 4), "unit", 1L, List.of())) {
            for (int i = 0; i < n; i++) {
                w.add(new Sample("s" + i, new ImageU8(3, 4, 4, new byte[48]), "c" + i, Map.of()));
            }
        }
        return dir;
    }

    private static float[] latent(int i, int numel) {
        float[] z = new float[numel];
        for (int j = 0; j < numel; j++) {
            z[j] = i * 0.5f - j * 0.01f;
        }
        return z;
    }

    @Test
    void latentsOfAnyChannelCountTrainInPlaceOfThePixels() {
        Path dir = shard(3);
        assertNull(Shard.open(dir).manifest().latents(), "a pixel shard has no latents");
        ImageSpec spec = new ImageSpec(5, 2, 2); // not 1 or 3: any count a codec gives
        try (ShardLatentsWriter w = new ShardLatentsWriter(dir, "test-codec", 0.25f, spec)) {
            for (int i = 0; i < 3; i++) {
                w.add(latent(i, spec.numel()), 0);
            }
        }
        Shard s = Shard.open(dir);
        assertTrue(s.hasLatents());
        assertEquals("test-codec", s.manifest().latents().codec());
        assertEquals(0.25f, s.manifest().latents().scale());
        assertEquals(spec, s.trainingSpec());
        assertEquals(new ImageSpec(3, 4, 4), s.spec(), "the images stay for the evaluation and the figures");
        float[] got = new float[spec.numel()];
        s.trainingToFloat(2, got, 0);
        assertArrayEquals(latent(2, spec.numel()), got);
    }

    @Test
    void missingOrDamagedLatentsAreRefusedNamingTheFile() throws Exception {
        Path dir = shard(2);
        ImageSpec spec = new ImageSpec(4, 2, 2);
        ShardLatentsWriter short1 = new ShardLatentsWriter(dir, "c", 1f, spec);
        short1.add(latent(0, spec.numel()), 0);
        IllegalStateException incomplete = assertThrows(IllegalStateException.class, short1::close);
        assertTrue(incomplete.getMessage().contains("1 latents were written"), incomplete.getMessage());
        assertNull(Shard.readManifest(dir).latents(), "the manifest names no latents that are not all there");
        assertFalse(Files.exists(dir.resolve(ShardManifest.LATENTS + ".tmp")));

        try (ShardLatentsWriter w = new ShardLatentsWriter(dir, "c", 1f, spec)) {
            w.add(latent(0, spec.numel()), 0);
            w.add(latent(1, spec.numel()), 0);
        }
        byte[] raw = Files.readAllBytes(dir.resolve(ShardManifest.LATENTS));
        raw[5] ^= 1;
        Files.write(dir.resolve(ShardManifest.LATENTS), raw);
        IllegalArgumentException tampered = assertThrows(IllegalArgumentException.class, () -> Shard.open(dir));
        assertTrue(tampered.getMessage().contains(ShardManifest.LATENTS) && tampered.getMessage().contains("checksum"),
                tampered.getMessage());
        Files.delete(dir.resolve(ShardManifest.LATENTS));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Shard.open(dir));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

        float[] nan = latent(0, spec.numel());
        nan[3] = Float.NaN;
        try (ShardLatentsWriter w = new ShardLatentsWriter(dir, "c", 1f, spec)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.add(nan, 0));
            assertTrue(e.getMessage().contains("not finite"), e.getMessage());
            w.add(latent(0, spec.numel()), 0);
            w.add(latent(1, spec.numel()), 0);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ShardWriter(tmp.resolve("x"), 0, spec, "unit", 1L, List.of()), "pixel shards hold 1 or 3 channels");
    }
}
