package org.parisjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;

/** The real path: experts and router trained into a run folder, loaded back, sampled with routing. */
class EnsembleFromRunTest {
    @TempDir
    Path tmp;

    @Test
    void loadsARunAndSamplesWithRealExpertsAndRouterToleratingAMissingExpert() {
        RunLayout run = new RunLayout(tmp);
        for (int k = 0; k < 3; k++) {
            TestShards.write(run, k, 16);
        }
        TrainOptions o = TestShards.options(2, 2);
        ExpertTrainer.train(run, 0, o, ProgressListener.NONE);
        ExpertTrainer.train(run, 2, o, ProgressListener.NONE); // expert 1 never delivered
        RouterTrainer.train(run, 3, new RouterOptions("smoke", 2, 8, 1e-3, 0, 0.0, 0.9, 1.0, 8, 2, 2, 1, 5),
                ProgressListener.NONE);
        try (NDManager m = NDManager.newBaseManager();
             TextEncoder enc = FlowTrainer.textEncoder(FlowTrainer.modelConfig("smoke", new ImageSpec(3, 16, 16)))) {
            Ensemble ensemble = Ensemble.load(run, 3, m);
            assertEquals(List.of(1), ensemble.missing());
            assertNull(ensemble.monolith());
            assertNotNull(ensemble.routerConfig());
            EnsembleSampler sampler = new EnsembleSampler(ensemble, new SamplerConfig(new ImageSpec(3, 16, 16), 2,
                    3.0, 9));
            List<String> captions = List.of("a red square top left", "a blue square bottom right",
                    "a green square top right");
            SamplingResult r = sampler.sample(enc, captions, new int[] {0, 2, 1}, RoutingStrategy.top2(), 2,
                    ProgressListener.NONE);
            assertEquals(3, r.images().size());
            assertEquals(0, r.expertCalls()[1]);
            // Two available experts, top-2: both run on every image at both steps, cond + uncond.
            assertEquals(2 * 2 * 2, r.expertForwardsPerImage(), 1e-9);
            for (float v : r.pixels()) {
                assertTrue(Float.isFinite(v));
            }
            SamplingResult oracle = sampler.sample(enc, captions, new int[] {0, 2, 1}, RoutingStrategy.oracle(), 3,
                    ProgressListener.NONE);
            assertEquals(0, oracle.routerCalls());
            // Images 0 and 1 run their own expert; image 2's expert (1) is missing, so without a router it
            // falls back to the uniform mixture of the two available ones: (4 + 4 + 8) / 3 passes per image.
            assertEquals(16.0 / 3, oracle.expertForwardsPerImage(), 1e-9);
        }
    }
}
