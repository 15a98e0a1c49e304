package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {

    private static final Map<String, int[]> RGB = Map.of("red", new int[]{220, 40, 40}, "green", new int[]{40, 170, 60},
            "blue", new int[]{40, 80, 220}, "yellow", new int[]{240, 220, 40}, "purple", new int[]{150, 60, 190},
            "orange", new int[]{245, 140, 30}, "white", new int[]{240, 240, 240});
    private static final Map<String, int[]> BG = Map.of("black", new int[]{20, 20, 20}, "white", new int[]{240, 240, 240},
            "gray", new int[]{128, 128, 128}, "blue", new int[]{40, 80, 220}, "green", new int[]{40, 170, 60});

    @Test
    void sameSeedGivesIdenticalBytesInAnyOrderAndThread() {
        ShapesDataset a = new ShapesDataset(64, 16, 7L);
        ShapesDataset b = new ShapesDataset(64, 16, 7L);
        List<Sample> sequential = a.stream().toList();
        List<Sample> parallel = b.stream().parallel().toList();
        for (int i = 0; i < 64; i++) {
            assertArrayEquals(sequential.get(i).image().chw(), parallel.get(i).image().chw(), "sample " + i);
            assertEquals(sequential.get(i).caption(), parallel.get(i).caption());
        }
        // Random access agrees with streaming, backwards too.
        for (int i = 63; i >= 0; i -= 7) {
            assertArrayEquals(sequential.get(i).image().chw(), a.sample(i).image().chw());
        }
    }

    @Test
    void differentSeedGivesDifferentData() {
        ShapesDataset a = new ShapesDataset(32, 16, 1L);
        ShapesDataset b = new ShapesDataset(32, 16, 2L);
        int differing = 0;
        for (int i = 0; i < 32; i++) {
            if (!Arrays.equals(a.sample(i).image().chw(), b.sample(i).image().chw())) {
                differing++;
            }
        }
        assertTrue(differing >= 30, "only " + differing + " of 32 samples differ between seeds");
    }

    @Test
    void everyValueOfEveryAttributeAppearsAndBackgroundNeverEqualsShapeColour() {
        ShapesDataset d = new ShapesDataset(600, 16, 3L);
        Map<String, Set<String>> seen = new java.util.HashMap<>();
        for (int i = 0; i < d.count(); i++) {
            ShapesDataset.Layout l = d.layout(i);
            l.attributes().forEach((k, v) -> seen.computeIfAbsent(k, x -> new HashSet<>()).add(v));
            assertNotEquals(l.color(), l.background(), "sample " + i);
        }
        for (String attr : ShapesDataset.ATTRIBUTES) {
            assertEquals(Set.copyOf(ShapesDataset.vocabulary(attr)), seen.get(attr), attr);
        }
        assertTrue(ShapesDataset.SHAPES.size() >= 6 && ShapesDataset.COLORS.size() >= 6);
    }

    @Test
    void captionIsBuiltFromTheAttributes() {
        ShapesDataset d = new ShapesDataset(50, 16, 11L);
        for (int i = 0; i < 50; i++) {
            Sample s = d.sample(i);
            Map<String, String> a = s.attributes();
            assertEquals(Set.copyOf(ShapesDataset.ATTRIBUTES), a.keySet());
            String where = a.get("position").equals("center") ? "in the center" : "at the " + a.get("position");
            assertEquals("a " + a.get("size") + " " + a.get("color") + " " + a.get("shape") + " " + where
                    + " on a " + a.get("background") + " background", s.caption());
        }
    }

    @Test
    void shapeCentreHasTheShapeColourAndCornersTheBackground() {
        for (int size : new int[]{16, 32}) {
            ShapesDataset d = new ShapesDataset(300, size, 5L);
            assertEquals(new ImageSpec(3, size, size), d.spec());
            int checked = 0;
            for (int i = 0; i < d.count(); i++) {
                ShapesDataset.Layout l = d.layout(i);
                ImageU8 img = d.sample(i).image();
                assertEquals(size, img.width());
                if (!l.size().equals("large")) {
                    continue;
                }
                int cx = (int) Math.floor(l.centerX());
                int cy = (int) Math.floor(l.centerY());
                int[] want = RGB.get(l.color());
                for (int c = 0; c < 3; c++) {
                    assertTrue(Math.abs(img.get(c, cy, cx) - want[c]) <= 12, "size " + size + " sample " + i + " "
                            + l + " channel " + c + " = " + img.get(c, cy, cx));
                }
                // The corner farthest from the shape shows the background.
                int fx = l.position().endsWith("left") ? size - 1 : 0;
                int fy = l.position().startsWith("top") ? size - 1 : 0;
                int[] bg = BG.get(l.background());
                for (int c = 0; c < 3; c++) {
                    assertEquals(bg[c], img.get(c, fy, fx), "background of sample " + i + " " + l);
                }
                checked++;
            }
            assertTrue(checked > 50, "only " + checked + " large shapes");
        }
    }

    @Test
    void shapesAreDistinguishableAt16Pixels() {
        // Mean image per shape kind (as a coverage mask) must differ between kinds: a sanity check
        // that the supersampled drawing keeps the outlines apart even at 16x16.
        ShapesDataset d = new ShapesDataset(2000, 16, 9L);
        Map<String, double[]> coverage = new java.util.HashMap<>();
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < d.count(); i++) {
            ShapesDataset.Layout l = d.layout(i);
            if (!l.size().equals("large") || !l.position().equals("center")) {
                continue;
            }
            ImageU8 img = d.sample(i).image();
            double[] acc = coverage.computeIfAbsent(l.shape(), k -> new double[256]);
            int[] bg = backgroundOf(img);
            for (int p = 0; p < 256; p++) {
                int diff = 0;
                for (int c = 0; c < 3; c++) {
                    diff += Math.abs(img.get(c, p / 16, p % 16) - bg[c]);
                }
                acc[p] += diff > 60 ? 1 : 0;
            }
            counts.merge(l.shape(), 1, Integer::sum);
        }
        assertEquals(ShapesDataset.SHAPES.size(), coverage.size());
        List<String> kinds = ShapesDataset.SHAPES;
        for (int a = 0; a < kinds.size(); a++) {
            for (int b = a + 1; b < kinds.size(); b++) {
                double[] ma = coverage.get(kinds.get(a));
                double[] mb = coverage.get(kinds.get(b));
                double l1 = 0;
                for (int p = 0; p < 256; p++) {
                    l1 += Math.abs(ma[p] / counts.get(kinds.get(a)) - mb[p] / counts.get(kinds.get(b)));
                }
                assertTrue(l1 > 10, kinds.get(a) + " vs " + kinds.get(b) + " masks differ by only " + l1 + " pixels");
            }
        }
    }

    private static int[] backgroundOf(ImageU8 img) {
        return new int[]{img.get(0, 0, 0), img.get(1, 0, 0), img.get(2, 0, 0)};
    }

    @Test
    void rejectsTooSmallImagesAndBadAttributeNames() {
        assertThrows(IllegalArgumentException.class, () -> new ShapesDataset(10, 8, 0L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapesDataset.vocabulary("texture"));
        assertTrue(e.getMessage().contains("texture"));
        assertFalse(ShapesDataset.vocabularies().isEmpty());
        assertEquals(ShapesDataset.COLORS, ShapesDataset.vocabularies().get("color"));
    }

    @Test
    void greyChannelOption() {
        ShapesDataset d = new ShapesDataset(4, 16, 1, 3L);
        assertEquals(1, d.sample(0).image().channels());
        Set<String> ids = d.stream().map(Sample::id).collect(Collectors.toSet());
        assertEquals(Set.of("0", "1", "2", "3"), ids);
    }
}
