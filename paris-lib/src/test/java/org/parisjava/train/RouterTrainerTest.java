package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.Sample;
import org.parisjava.data.ShapesDataset;
import org.parisjava.data.ShardWriter;
import org.parisjava.train.RouterAccuracy;
import org.parisjava.run.ProgressListener;

class RouterTrainerTest {
    @TempDir
    Path tmp;

    /** Three clusters of smoke shapes, by background: what k-means on pixels tends to find first. */
    static List<Path> backgroundShards(Path root, int images) {
        List<String> backgrounds = List.of("black", "white", "blue");
        ShapesDataset shapes = new ShapesDataset(images, 16, 7);
        List<ShardWriter> writers = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (int k = 0; k < backgrounds.size(); k++) {
            Path d = root.resolve("cluster-0" + k);
            dirs.add(d);
            writers.add(new ShardWriter(d, k, shapes.spec(), "shapes", 7, ShapesDataset.ATTRIBUTES));
        }
        for (int i = 0; i < images; i++) {
            Sample s = shapes.sample(i);
            int k = backgrounds.indexOf(s.attributes().get("background"));
            if (k >= 0) {
                writers.get(k).add(s);
            }
        }
        writers.forEach(ShardWriter::close);
        return dirs;
    }

    @Test
    void routerLearnsTheClusterAtSmallTimesteps() {
        List<Path> shards = backgroundShards(tmp.resolve("shards"), 300);
        ClusteredImages data = ClusteredImages.open(shards);
        assertEquals(3, data.clusters());
        RouterOptions o = new RouterOptions("smoke", 40, 16, 3e-3, 5, 0.0, 0.9, 1.0, 30, 5, 20, 10, 11);
        Path out = tmp.resolve("router");
        RouterTrainer.Result r = RouterTrainer.train(data, out, o, ProgressListener.NONE);
        RouterAccuracy.Result acc = r.accuracy();
        // Chance is about 1/3 (the three backgrounds are about equally frequent). At t < 0.2 the background
        // colour dominates x_t, so a router that learned anything separates the clusters almost perfectly;
        // 0.8 leaves room for the few steps of training while staying far above chance.
        double small = acc.bins().get(0).accuracy();
        assertTrue(small > 0.8, "accuracy at small t: " + small + ", all bins " + acc.bins());
        assertTrue(r.lastLoss() < r.firstLoss(), "loss fell: " + r.firstLoss() + " -> " + r.lastLoss());
        assertEquals(30 * 5, acc.bins().stream().mapToLong(RouterAccuracy.Bin::count).sum());
        assertTrue(Files.isRegularFile(out.resolve(RouterTrainer.ACCURACY)));
        assertTrue(RouterTrainer.isFinished(out, o));
        // A finished run resumes as a no-op and gives the same accuracy.
        RouterTrainer.Result again = RouterTrainer.train(data, out, o, ProgressListener.NONE);
        assertEquals(40, again.startStep());
        assertEquals(small, again.accuracy().bins().get(0).accuracy(), 1e-12);
    }
}
