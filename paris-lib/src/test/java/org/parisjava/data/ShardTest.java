package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardTest {
    @TempDir
    Path tmp;

    private static Sample sample(int i) {
        byte[] px = new byte[3 * 4 * 4];
        for (int j = 0; j < px.length; j++) {
            px[j] = (byte) (i * 31 + j);
        }
        return new Sample("s" + i, new ImageU8(3, 4, 4, px), "caption " + i, Map.of("shape", "k" + (i % 3)));
    }

    private Path writeShard(int n) {
        Path dir = tmp.resolve("cluster-01");
        try (ShardWriter w = new ShardWriter(dir, 1, new ImageSpec(3, 4, 4), "unit", 7L, List.of("shape"))) {
            for (int i = 0; i < n; i++) {
                w.add(sample(i));
            }
        }
        return dir;
    }

    @Test
    void roundTripKeepsEverySampleAndTheManifest() {
        Path dir = writeShard(5);
        Shard shard = Shard.open(dir);
        assertEquals(5, shard.count());
        assertEquals(7L, shard.manifest().seed());
        assertEquals(1, shard.manifest().cluster());
        for (int i = 0; i < 5; i++) {
            Sample expected = sample(i);
            Sample got = shard.sample(i);
            assertEquals(expected.id(), got.id());
            assertEquals(expected.caption(), got.caption());
            assertEquals(expected.attributes(), got.attributes());
            assertArrayEquals(expected.image().chw(), got.image().chw());
        }
        float[] f = new float[48];
        shard.imageToFloat(2, f, 0);
        assertArrayEquals(sample(2).image().toFloat(), f);
    }

    @Test
    void attributesAreWrittenInTheDatasetsOrderWhateverTheMapsOrder() throws Exception {
        Path dir = tmp.resolve("ordered");
        // a Map.of iterates in an order that changes between JVMs; the shard's bytes must not
        Map<String, String> attrs = Map.of("shape", "star", "color", "red", "extra", "x", "background", "black");
        try (ShardWriter w = new ShardWriter(dir, 0, new ImageSpec(3, 4, 4), "unit", 7L,
                List.of("shape", "color", "background"))) {
            w.add(new Sample("a", new ImageU8(3, 4, 4, new byte[48]), "c", attrs));
        }
        String line = Files.readAllLines(dir.resolve("samples.jsonl")).get(0);
        assertEquals("{\"id\":\"a\",\"caption\":\"c\",\"attributes\":{\"shape\":\"star\",\"color\":\"red\","
                + "\"background\":\"black\",\"extra\":\"x\"}}", line);
    }

    /**
     * The streamed samples.jsonl line is byte for byte what building a Gson JsonObject and calling toString()
     * wrote before (so shards and their checksums did not change): quotes, backslashes, control characters,
     * line and paragraph separators, non-ASCII text, HTML characters, a null caption, extra attributes sorted
     * after the dataset's.
     */
    @Test
    void streamedSampleLineIsTheJsonObjectsText() throws Exception {
        java.util.Map<String, String> extra = new java.util.HashMap<>();
        extra.put("zeta", "z");
        extra.put("color", "red \"ish\" <&>");
        extra.put("alpha", "tab\tnew\nline\u2028\u2029\u0001 back\\slash");
        extra.put("shape", "étoile ★");
        ImageU8 img = new ImageU8(1, 1, 1, new byte[1]);
        List<Sample> samples = List.of(
                new Sample("id,\"1\"", img, "a \"red\" star\r\n", Map.of("shape", "star", "color", "red")),
                new Sample("x/y.png", img, null, extra),
                new Sample("plain", img, "", Map.of()));
        List<String> names = List.of("shape", "color", "missing");
        for (Sample smp : samples) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("id", smp.id());
            o.addProperty("caption", smp.caption());
            com.google.gson.JsonObject a = new com.google.gson.JsonObject();
            for (String name : names) {
                String v = smp.attributes().get(name);
                if (v != null) {
                    a.addProperty(name, v);
                }
            }
            if (a.size() < smp.attributes().size()) {
                new java.util.TreeMap<>(smp.attributes()).forEach((k, v) -> {
                    if (!a.has(k)) {
                        a.addProperty(k, v);
                    }
                });
            }
            o.add("attributes", a);
            java.io.StringWriter out = new java.io.StringWriter();
            ShardWriter.writeSampleLine(out, smp, names);
            assertEquals(o + "\n", out.toString(), smp.id());
        }
    }

    @Test
    void damagedShardIsRefusedWithTheReason() throws Exception {
        Path dir = writeShard(3);
        byte[] px = Files.readAllBytes(dir.resolve(ShardManifest.IMAGES));
        px[5] ^= 1;
        Files.write(dir.resolve(ShardManifest.IMAGES), px);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.open(dir));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Files.write(dir.resolve(ShardManifest.IMAGES), new byte[7]);
        e = assertThrows(IllegalArgumentException.class, () -> Shard.open(dir));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void unfinishedShardHasNoManifest() {
        Path dir = tmp.resolve("cluster-02");
        ShardWriter w = new ShardWriter(dir, 2, new ImageSpec(3, 4, 4), "unit", 1L, List.of());
        w.add(sample(0));
        assertFalse(Shard.exists(dir));
        assertThrows(IllegalArgumentException.class, () -> Shard.open(dir));
        w.close();
        assertTrue(Shard.exists(dir));
    }

    @Test
    void wrongShapeIsRejected() {
        try (ShardWriter w = new ShardWriter(tmp.resolve("c"), 0, new ImageSpec(1, 4, 4), "unit", 1L, List.of())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.add(sample(0)));
            assertTrue(e.getMessage().contains("s0"), e.getMessage());
        }
    }
}
