package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.Shard;
import org.parisjava.run.RunLayout;

class ClusterCommandTest {

    @Test
    void clusterAtSmokeScaleWritesEverything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("runs/smoke");
        int rc = ParisCli.run("cluster", "--dataset", "shapes", "--preset", "smoke", "--limit", "300", "--k", "3",
                "--fine", "12", "--seed", "5", "--out", out.toString());
        assertEquals(0, rc);
        RunLayout layout = new RunLayout(out);
        Path c = layout.clusteringDir();
        for (String f : new String[] {"clustering.json", "assignments.csv", "composition.csv", "composition.png",
                "config.json", "grids/cluster-00.png", "grids/cluster-02.png"}) {
            assertTrue(Files.isRegularFile(c.resolve(f)), f);
        }
        long total = 0;
        for (int k = 0; k < 3; k++) {
            Shard s = Shard.open(layout.shardDir(k));
            assertEquals(5, s.manifest().seed());
            total += s.count();
        }
        assertEquals(300, total);
        assertTrue(Files.readString(c.resolve("config.json")).contains("\"seed\": 5"));
    }

    @Test
    void clusterWithATorchScriptFeatureModel(@TempDir Path dir) throws Exception {
        // the tiny traced conv net paris-lib's tests ship (fully convolutional: any input size)
        Path model = Path.of(System.getProperty("paris.repo"), "paris-lib/src/test/resources/models/tiny_convnet.pt");
        Path out = dir.resolve("run");
        int rc = ParisCli.run("cluster", "--dataset", "shapes", "--preset", "smoke", "--limit", "120", "--k", "2",
                "--fine", "6", "--features", "model:" + model, "--model-input", "16", "--out", out.toString());
        assertEquals(0, rc);
        assertTrue(Files.readString(out.resolve("clustering/config.json")).contains("\"model:tiny_convnet.pt\""));
        RunLayout layout = new RunLayout(out);
        assertEquals(120, Shard.open(layout.shardDir(0)).count() + Shard.open(layout.shardDir(1)).count());
    }

    @Test
    void badOptionsFailWithTheirName(@TempDir Path dir) {
        assertEquals(1, ParisCli.run("cluster", "--dataset", "nope", "--out", dir.toString()));
        assertEquals(1, ParisCli.run("cluster", "--dataset", "shapes", "--preset", "smoke", "--balance", "odd",
                "--out", dir.toString()));
        assertTrue(ParisCli.run("cluster", "--dataset", "shapes") != 0, "--out is required");
    }
}
