package org.parisjava.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.vision.HfFixtures;

/** The Java AutoencoderKL against diffusers' on the tiny fixture (scripts/make_hf_vae_fixture.py). */
class AutoencoderKlTest {
    private static final String TINY = "tiny-sd-vae";
    private static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    @Test
    void encodesAndDecodesAsDiffusers() {
        try (NDManager m = NDManager.newBaseManager(); AutoencoderKl vae = AutoencoderKl.load(HfFixtures.folder(TINY), m)) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            try (LatentDistribution d = vae.encode(ref.get("images"))) {
                HfFixtures.assertClose(ref.get("enc_mean"), d.mean(), TOL, "latent_dist.mean");
                HfFixtures.assertClose(ref.get("enc_logvar"), d.logVariance(), TOL, "latent_dist.logvar");
            }
            // 16 x 24: the right/bottom-only padding of the downsampling convolution on a non-square image
            try (LatentDistribution d = vae.encode(ref.get("wide"))) {
                HfFixtures.assertClose(ref.get("wide_mean"), d.mean(), TOL, "16x24 latent_dist.mean");
            }
            HfFixtures.assertClose(ref.get("decoded"), vae.decode(ref.get("latents")), TOL, "decode(z).sample");
        }
    }

    @Test
    void countsParametersAsDiffusersDoes() throws IOException {
        var json = HfFixtures.referenceJson(TINY);
        assertEquals(83_653_863L, json.get("sd_vae_ft_mse_parameters").getAsLong());
        assertEquals(json.get("sd_vae_ft_mse_parameters").getAsLong(),
                AutoencoderKl.parameterCount(AutoencoderKlConfig.SD_VAE_FT_MSE));
        try (NDManager m = NDManager.newBaseManager(); AutoencoderKl vae = AutoencoderKl.load(HfFixtures.folder(TINY), m)) {
            assertEquals(json.get("tiny_parameters").getAsLong(), AutoencoderKl.parameterCount(vae.config()));
            assertEquals(2, vae.config().downsampling());
        }
        assertEquals(8, AutoencoderKlConfig.SD_VAE_FT_MSE.downsampling());
    }

    @Test
    void readsTheAttentionNamesOfOlderCheckpoints() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            // sd-vae-ft-mse was saved before diffusers renamed query/key/value/proj_attn
            Path legacy = HfFixtures.tamperedCopy(TINY, tmp, m, t -> {
                Map<String, NDArray> copy = new LinkedHashMap<>();
                t.forEach((k, v) -> copy.put(k.replace(".to_q.", ".query.").replace(".to_k.", ".key.")
                        .replace(".to_v.", ".value.").replace(".to_out.0.", ".proj_attn."), v));
                assertTrue(copy.containsKey("decoder.mid_block.attentions.0.proj_attn.weight"));
                t.clear();
                t.putAll(copy);
            });
            try (AutoencoderKl vae = AutoencoderKl.load(legacy, m)) {
                Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
                HfFixtures.assertClose(ref.get("decoded"), vae.decode(ref.get("latents")), TOL, "legacy names");
            }
        }
    }

    @Test
    void namesMissingUnexpectedAndMisshapenTensors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path missing = HfFixtures.tamperedCopy(TINY, tmp.resolve("a"), m,
                    t -> t.remove("decoder.up_blocks.0.upsamplers.0.conv.bias"));
            var e1 = assertThrows(IllegalArgumentException.class, () -> AutoencoderKl.load(missing, m));
            assertTrue(e1.getMessage().contains("decoder.up_blocks.0.upsamplers.0.conv.bias"), e1.getMessage());

            Path extra = HfFixtures.tamperedCopy(TINY, tmp.resolve("b"), m,
                    t -> t.put("encoder.down_blocks.1.downsamplers.0.conv.weight", m.zeros(new Shape(16, 16, 3, 3))));
            var e2 = assertThrows(IllegalArgumentException.class, () -> AutoencoderKl.load(extra, m));
            assertTrue(e2.getMessage().contains("encoder.down_blocks.1.downsamplers.0.conv.weight"), e2.getMessage());

            Path bad = HfFixtures.tamperedCopy(TINY, tmp.resolve("c"), m,
                    t -> t.put("quant_conv.weight", m.zeros(new Shape(8, 8, 3, 3))));
            var e3 = assertThrows(IllegalArgumentException.class, () -> AutoencoderKl.load(bad, m));
            assertTrue(e3.getMessage().contains("quant_conv.weight") && e3.getMessage().contains("[8, 8, 1, 1]"),
                    e3.getMessage());
        }
    }
}
