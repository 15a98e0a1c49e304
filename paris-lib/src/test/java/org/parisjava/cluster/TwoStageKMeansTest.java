package org.parisjava.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoStageKMeansTest {

    private static final Blobs FOUR = new Blobs(new int[] {150, 200, 120, 180}, 5, 10.0, 0.5, 3);

    @Test
    void recoversWellSeparatedBlobsExactly() {
        Clustering c = TwoStageKMeans.fit(FOUR.x, ClusteringOptions.of(16, 4, 7));
        // the clusters must be the blobs up to a renaming: a bijection blob <-> cluster
        Map<Integer, Integer> blobToCluster = new HashMap<>();
        Map<Integer, Integer> clusterToBlob = new HashMap<>();
        for (int i = 0; i < FOUR.x.length; i++) {
            int k = c.predict(FOUR.x[i]);
            int blob = FOUR.truth[i];
            assertEquals(k, (int) blobToCluster.computeIfAbsent(blob, b -> k), "sample " + i);
            assertEquals(blob, (int) clusterToBlob.computeIfAbsent(k, b -> blob), "sample " + i);
        }
        assertEquals(4, blobToCluster.size());
        long[] sizes = c.coarseSizes();
        java.util.Arrays.sort(sizes);
        assertArrayEquals(new long[] {120, 150, 180, 200}, sizes);
    }

    @Test
    void bothFineEnginesRecoverTheBlobsAndReachTheSameDistortion() {
        Blobs b = new Blobs(new int[] {400, 300, 500}, 8, 4.0, 1.0, 23);
        double[] distortion = new double[2];
        for (ClusteringOptions.FineEngine e : ClusteringOptions.FineEngine.values()) {
            Clustering c = TwoStageKMeans.fit(b.x, ClusteringOptions.of(12, 3, 3).withFineEngine(e));
            long[] sizes = c.coarseSizes();
            java.util.Arrays.sort(sizes);
            assertArrayEquals(new long[] {300, 400, 500}, sizes, e.name());
            double[][] fc = c.fineCentroids();
            for (double[] x : b.x) {
                distortion[e.ordinal()] += WeightedKMeans.squared(x, fc[c.predictFine(x)]);
            }
        }
        // both are k-means++ + Lloyd: local optima of similar quality (within 3%)
        assertEquals(1.0, distortion[0] / distortion[1], 0.03, java.util.Arrays.toString(distortion));
    }

    @Test
    void fineToCoarseMapIsConsistentWithPredictionsAndSizes() {
        Blobs b = new Blobs(new int[] {300, 300, 300}, 4, 3.0, 1.0, 11); // overlapping: a real partition problem
        Clustering c = TwoStageKMeans.fit(b.x, ClusteringOptions.of(24, 3, 5));
        long[] fine = new long[c.fineCount()];
        long[] coarse = new long[c.k()];
        for (double[] x : b.x) {
            int f = c.predictFine(x);
            assertEquals(c.coarseOf(f), c.predict(x));
            fine[f]++;
            coarse[c.predict(x)]++;
        }
        // predict of every training point reproduces the recorded assignment counts
        assertArrayEquals(c.fineSizes(), fine);
        assertArrayEquals(c.coarseSizes(), coarse);
        // a coarse centroid is the size-weighted mean of its fine centroids
        double[][] fc = c.fineCentroids();
        double[][] cc = c.coarseCentroids();
        for (int k = 0; k < c.k(); k++) {
            for (int j = 0; j < c.dimension(); j++) {
                double s = 0;
                for (int f = 0; f < fc.length; f++) {
                    if (c.coarseOf(f) == k) {
                        s += fine[f] * fc[f][j];
                    }
                }
                assertEquals(s / coarse[k], cc[k][j], 1e-9);
            }
        }
        // unbalanced coarse k-means converged: each fine centroid is nearest to its own coarse centroid
        for (int f = 0; f < fc.length; f++) {
            assertEquals(c.coarseOf(f), WeightedKMeans.nearest(fc[f], cc), "fine cluster " + f);
        }
    }

    @Test
    void sameSeedSameClusteringOtherSeedMayDiffer(@TempDir Path dir) {
        Blobs b = new Blobs(new int[] {200, 200, 200, 200}, 6, 2.0, 1.0, 17);
        Clustering a1 = TwoStageKMeans.fit(b.x, ClusteringOptions.of(32, 4, 1));
        Clustering a2 = TwoStageKMeans.fit(b.x, ClusteringOptions.of(32, 4, 1));
        assertEquals(a1, a2);
        Clustering other = TwoStageKMeans.fit(b.x, ClusteringOptions.of(32, 4, 2));
        assertNotEquals(a1, other);
    }

    @Test
    void saveLoadRoundTripIsExact(@TempDir Path dir) throws Exception {
        Clustering c = TwoStageKMeans.fit(FOUR.x, ClusteringOptions.of(12, 4, 9).withBalancing(Balancing.CAPPED, 1.5));
        Path f = dir.resolve("clustering.json");
        c.save(f);
        Clustering back = Clustering.load(f);
        assertEquals(c, back);
        for (double[] x : FOUR.x) {
            assertEquals(c.predict(x), back.predict(x));
        }
        Files.writeString(f, "{\"format\": \"something-else\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Clustering.load(f));
        assertTrue(e.getMessage().contains("Not a clustering file"), e.getMessage());
    }

    @Test
    void cappedBalancingReducesTheSizeRatio() {
        // one big spread-out blob and one small one: unbalanced k-means gives 1000 vs 100
        Blobs b = new Blobs(new int[] {1000, 100}, 2, 8.0, 1.5, 21);
        ClusteringOptions o = ClusteringOptions.of(32, 2, 4);
        Clustering plain = TwoStageKMeans.fit(b.x, o);
        Clustering capped = TwoStageKMeans.fit(b.x, o.withBalancing(Balancing.CAPPED, 1.2));
        assertTrue(plain.sizeRatio() > 8, "plain ratio " + plain.sizeRatio()); // 1000 vs 100, give or take a tail point
        assertTrue(capped.sizeRatio() < 2.0, "capped ratio " + capped.sizeRatio());
        // the cap holds up to one fine cluster's size (fine clusters are indivisible)
        long maxFine = java.util.Arrays.stream(capped.fineSizes()).max().orElseThrow();
        for (long s : capped.coarseSizes()) {
            assertTrue(s <= 1.2 * 1100 / 2 + maxFine, "size " + s);
        }
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> TwoStageKMeans.fit(new double[10][3], ClusteringOptions.of(16, 4, 1)));
        assertTrue(few.getMessage().contains("16 fine clusters"), few.getMessage());
        double[][] ragged = FOUR.x.clone();
        ragged[17] = new double[] {1, 2};
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> TwoStageKMeans.fit(ragged, ClusteringOptions.of(16, 4, 1)));
        assertTrue(r.getMessage().contains("row 17"), r.getMessage());
        IllegalArgumentException k0 = assertThrows(IllegalArgumentException.class, () -> ClusteringOptions.of(16, 0, 1));
        assertTrue(k0.getMessage().contains("Invalid number of clusters: 0"));
        // four distinct points cannot make 6 non-empty fine clusters and then 5 coarse ones
        double[][] dup = new double[40][2];
        for (int i = 0; i < dup.length; i++) {
            dup[i][0] = i % 4;
        }
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> TwoStageKMeans.fit(dup, ClusteringOptions.of(6, 5, 1)));
        assertTrue(d.getMessage().contains("non-empty fine clusters"), d.getMessage());
    }
}
