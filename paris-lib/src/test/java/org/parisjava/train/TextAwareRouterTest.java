package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;

/** The text-aware router (beyond the paper): the same router plus the caption in its AdaLN conditioning. */
class TextAwareRouterTest {
    @TempDir
    Path tmp;

    @Test
    void textAwareRouterTakesCaptionTokensAndCountsItsParameters() {
        RouterConfig c = RouterConfig.of("smoke").adaptedTo(16, 3, 3).withText(24);
        assertTrue(c.textAware());
        assertEquals(RouterConfig.of("smoke").adaptedTo(16, 3, 3).parameterCount() + (24L * 32 + 32) + (32L * 32 + 32),
                c.parameterCount());
        try (NDManager m = NDManager.newBaseManager();
             HashedTokenEncoder enc = new HashedTokenEncoder(24, 10)) {
            Router r = RouterTrainer.newRouter(c, m, 3);
            long counted = r.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertEquals(c.parameterCount(), counted);
            TextBatch tb = enc.encode(List.of("a red circle on a black background", "a blue star on a white background"), m);
            NDList in = new NDList(m.randomNormal(new Shape(2, 3, 16, 16)), m.create(new float[] {0.9f, 0.1f}),
                    tb.tokens(), tb.mask());
            assertEquals(new Shape(2, 3), r.forward(new ParameterStore(m, false), in, false).singletonOrThrow().getShape());
            // without the caption it is refused with the reason
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.forward(
                    new ParameterStore(m, false), new NDList(in.get(0), in.get(1)), false));
            assertTrue(e.getMessage().contains("caption tokens"), e.getMessage());
        }
    }

    /** The README's measurement: two routers of 60 steps, minutes on a busy 2-core machine. */
    @Test
    @Tag("slow")
    void readingTheCaptionRemovesTheBlindSpotNearPureNoise() {
        List<Path> shards = RouterTrainerTest.backgroundShards(tmp.resolve("shards"), 300);
        ClusteredImages data = ClusteredImages.open(shards);
        RouterOptions o = new RouterOptions("smoke", 60, 16, 3e-3, 5, 0.0, 0.9, 1.0, 30, 5, 30, 10, 11);
        RouterTrainer.Result aware;
        try (HashedTokenEncoder enc = new HashedTokenEncoder(32, 16)) {
            aware = RouterTrainer.train(data, tmp.resolve("router-text"), o, enc, ProgressListener.NONE,
                    StopRequest.NEVER);
            // a text-aware router needs its encoder to be measured again; one of another width is refused
            try (NDManager m = NDManager.newBaseManager(); HashedTokenEncoder other = new HashedTokenEncoder(16, 16)) {
                Router r = RouterTrainer.load(tmp.resolve("router-text"), m);
                assertTrue(r.config().textAware());
                assertThrows(IllegalArgumentException.class, () -> RouterTrainer.evaluate(r, data, new int[] {0}, 2, 1,
                        1, m));
                assertThrows(IllegalArgumentException.class, () -> RouterTrainer.evaluate(r, data, new int[] {0}, 2, 1,
                        1, other, m));
            }
        }
        RouterTrainer.Result blind = RouterTrainer.train(data, tmp.resolve("router"), o, ProgressListener.NONE);
        // Near t = 1 (the last bin, t in [0.8, 1)) x_t is mostly noise: the background the caption names is
        // what tells the clusters apart, so the router that reads it must be far above chance (about 1/3)
        // and above the one that does not.
        double awareLate = aware.accuracy().bins().get(4).accuracy();
        double blindLate = blind.accuracy().bins().get(4).accuracy();
        assertTrue(awareLate > 0.8, "text-aware accuracy near t = 1: " + awareLate + ", bins " + aware.accuracy().bins());
        assertTrue(awareLate > blindLate, "text-aware " + awareLate + " vs text-blind " + blindLate);
    }
}
