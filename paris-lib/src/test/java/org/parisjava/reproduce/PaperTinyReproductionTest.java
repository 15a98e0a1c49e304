package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;
import org.parisjava.data.ShardManifest;
import java.util.List;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.TextEncoder;
import org.parisjava.train.FlowTrainer;
import org.parisjava.latent.LatentCodec;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.run.RunLayout;

/**
 * The paper path end to end at test size ({@code paper-tiny}): WebDataset shard, DINOv2 features,
 * two-stage k-means, SD-VAE latents written once into the shards, CLIP-conditioned DiT experts on
 * 4-channel latents, the monolith, the router, every strategy and decoding. (The evaluation stage
 * needs attributes a WebDataset does not declare; scoring any dataset is the evaluation's own work.)
 */
class PaperTinyReproductionTest {

    @Test
    void paperTinyRunsThePaperPathFromShardsToDecodedSamples(@TempDir Path tmp) throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        Reproduction.Options o = PaperTinyFolders.options("paper-tiny", 5);

        Reproduction.runThrough(run, o, Reproduction.Stage.ROUTER, e -> { });

        // shards: the images and their latents, encoded once by the run's VAE and recorded with its scale
        Shard s0 = Shard.open(run.shardDir(0));
        ShardManifest.Latents l = s0.manifest().latents();
        assertNotNull(l, "a latent-space run writes latents into its shards");
        assertEquals(new ImageSpec(3, 32, 32), s0.spec());
        assertEquals(new ImageSpec(4, 16, 16), s0.trainingSpec());
        assertEquals(0.18215f, l.scale());
        assertTrue(l.codec().contains("tiny-sd-vae"), l.codec());
        float[] stored = new float[4 * 16 * 16];
        s0.trainingToFloat(0, stored, 0);
        float[] px = new float[3 * 32 * 32];
        s0.imageToFloat(0, px, 0);
        try (NDManager m = NDManager.newBaseManager();
             LatentCodec codec = LatentCodecs.open(o.latent())) {
            NDArray z = codec.encode(m.create(px, new Shape(1, 3, 32, 32)));
            assertArrayEquals(z.toFloatArray(), stored, 1e-5f, "the stored latent is the codec's encoding of the image");
        }

        // experts and monolith: DiTs on 4-channel 16x16 latents, conditioned on the CLIP tokens (77 x 32)
        for (Path dir : new Path[] {run.expertDir(0), run.expertDir(1), run.monolithDir()}) {
            JsonObject cfg = JsonParser.parseString(Files.readString(dir.resolve("train-config.json"))).getAsJsonObject();
            JsonObject model = cfg.getAsJsonObject("model");
            assertEquals(4, model.get("inChannels").getAsInt(), dir.toString());
            assertEquals(16, model.get("imageSize").getAsInt());
            assertEquals(32, model.get("textDim").getAsInt());
            assertEquals(77, model.get("textTokens").getAsInt());
            assertTrue(cfg.get("textEncoder").getAsString().startsWith("clip"), cfg.get("textEncoder").getAsString());
        }

        // every strategy samples latents from the same prompts and seeds; the run's VAE decodes them to 32 px RGB
        try (NDManager m = NDManager.newBaseManager();
             LatentCodec codec = ClusterStage.openCodec(o)) {
            Ensemble ensemble = Ensemble.load(run, o.preset().coarseClusters(), m);
            EnsembleSampler sampler = new EnsembleSampler(ensemble, new SamplerConfig(s0.trainingSpec(),
                    o.preset().samplingSteps(), o.preset().cfgScale(), o.seed()), codec);
            List<String> captions = List.of(s0.caption(0), s0.caption(1), Shard.open(run.shardDir(1)).caption(0));
            int[] truth = {0, 0, 1};
            try (TextEncoder text = FlowTrainer.textEncoder(o.text(), ensemble.expertConfig())) {
                for (RoutingStrategy strategy : o.strategies()) {
                    SamplingResult samples = sampler.sample(text, captions, truth, strategy, 2, ProgressListener.NONE);
                    assertEquals(new ImageSpec(3, 32, 32), samples.spec(), strategy.name());
                    assertEquals(3, samples.images().size());
                    for (float v : samples.pixels()) {
                        assertTrue(Float.isFinite(v), strategy.name());
                    }
                    assertTrue(samples.expertForwardsPerImage() > 0, strategy.name());
                }
            }
        }
    }
}
