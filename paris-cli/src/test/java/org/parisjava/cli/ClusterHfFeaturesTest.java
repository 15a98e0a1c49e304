package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.Shard;
import org.parisjava.run.RunLayout;

/** {@code paris cluster --features hf:PATH}: DINOv2 from a transformers folder, run in Java. */
class ClusterHfFeaturesTest {

    private static Path tinyDinov2() {
        // the tiny DINOv2 folder of scripts/make_hf_dinov2_fixture.py (hidden 32, 2 layers, patch 14)
        return Path.of(System.getProperty("paris.repo"), "paris-lib/src/test/resources/hf/tiny-dinov2");
    }

    @Test
    void clustersWithDinov2FeaturesFromAHuggingFaceFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        int rc = ParisCli.run("cluster", "--dataset", "shapes", "--preset", "smoke", "--limit", "120", "--k", "2",
                "--fine", "6", "--features", "hf:" + tinyDinov2(), "--model-input", "28", "--out", out.toString());
        assertEquals(0, rc);
        String config = Files.readString(out.resolve("clustering/config.json"));
        assertTrue(config.contains("hf:tiny-dinov2(dinov2, 2 layers, D 32, input 28, cls)"), config);
        assertTrue(config.contains("\"featureDim\": 32"), config);
        RunLayout layout = new RunLayout(out);
        long a = Shard.open(layout.shardDir(0)).count();
        long b = Shard.open(layout.shardDir(1)).count();
        assertEquals(120, a + b);
        assertTrue(a > 0 && b > 0, "both clusters hold samples: " + a + ", " + b);
    }

    @Test
    void aFolderThatIsNotDinov2FailsWithItsName(@TempDir Path dir) {
        assertNotEquals(0, ParisCli.run("cluster", "--dataset", "shapes", "--preset", "smoke", "--limit", "20",
                "--features", "hf:" + dir.resolve("no-such-folder"), "--out", dir.resolve("run").toString()));
    }
}
