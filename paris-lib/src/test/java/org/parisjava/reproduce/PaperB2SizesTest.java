package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.latent.LatentCodec;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.ExpertTrainer;
import org.parisjava.train.FlowTrainer;
import org.parisjava.train.RouterOptions;
import org.parisjava.train.RouterTrainer;
import org.parisjava.train.TrainOptions;
import org.parisjava.train.TrainResult;

/**
 * paper-b2 starts when its folders are given: with the tiny CLIP, VAE and DINOv2 folders, a DiT-B/2
 * expert (12 blocks, hidden 768) and a DiT-B/2 router train a few steps on the VAE latents of the
 * shipped WebDataset shard, and the routed ensemble samples and decodes an image. The latents are
 * 16x16x4 (the tiny VAE halves 32 px) rather than the paper's 32x32x4; the model sizes are the paper's.
 */
@Tag("slow")
class PaperB2SizesTest {

    @Test
    void paperB2ModelSizesTrainAndSampleOnTinyFolders(@TempDir Path tmp) throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options tiny = PaperTinyFolders.options("paper-tiny", 2);
        Reproduction.runThrough(run, tiny, Reproduction.Stage.CLUSTER, e -> { }); // DINOv2, k-means, VAE latents
        Preset b2 = Preset.of("paper-b2");
        assertEquals(List.of(), ModelFolders.problems(PaperTinyFolders.options("paper-b2", 2), false));

        TrainOptions paper = TrainOptions.of(b2, 2).withText(tiny.text());
        TrainOptions o = new TrainOptions(paper.modelPreset(), 2, 2, paper.learningRate(), 1, paper.weightDecay(),
                paper.emaDecay(), paper.gradClip(), paper.timesteps(), paper.captionDropout(), 2, 1, 2, paper.text());
        TrainResult expert = ExpertTrainer.train(run, 0, o, ProgressListener.NONE);
        assertTrue(Double.isFinite(expert.lastLoss()));
        RouterOptions rp = RouterOptions.of(b2, 2);
        RouterOptions ro = new RouterOptions(rp.modelPreset(), 2, 2, rp.learningRate(), 1, rp.weightDecay(),
                rp.emaDecay(), rp.gradClip(), 2, 2, 2, 1, 2);
        RouterTrainer.train(run, tiny.preset().coarseClusters(), ro, ProgressListener.NONE);

        Shard s0 = Shard.open(run.shardDir(0));
        try (NDManager m = NDManager.newBaseManager();
             LatentCodec codec = ClusterStage.openCodec(tiny)) {
            Ensemble ensemble = Ensemble.load(run, tiny.preset().coarseClusters(), m); // expert 1 missing: dropped
            DiTConfig c = ensemble.expertConfig();
            assertNotNull(c);
            assertEquals("DiT-B/2", c.name());
            assertEquals(768, c.hidden());
            assertEquals(12, c.depth());
            assertEquals(4, c.inChannels());
            assertEquals(32, c.textDim()); // the tiny CLIP's width: the DiT's text width is the encoder's
            assertEquals("DiT-B/2", ensemble.routerConfig().name());
            EnsembleSampler sampler = new EnsembleSampler(ensemble,
                    new SamplerConfig(s0.trainingSpec(), 2, b2.cfgScale(), 2), codec);
            try (TextEncoder text = FlowTrainer.textEncoder(tiny.text(), c)) {
                SamplingResult r = sampler.sample(text, List.of(s0.caption(0)), new int[] {0},
                        RoutingStrategy.parse("top-1"), 1, ProgressListener.NONE);
                assertEquals(new ImageSpec(3, 32, 32), r.spec());
                assertEquals(1, r.images().size());
            }
        }
    }
}
