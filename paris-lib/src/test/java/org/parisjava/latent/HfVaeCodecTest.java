package org.parisjava.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parisjava.vision.HfFixtures;

/** The LatentCodec over the tiny diffusers folder: scaling, slicing and seeded sampling. */
class HfVaeCodecTest {
    private static final String TINY = "tiny-sd-vae";
    private static final double TOL = 1e-4;

    @Test
    void scalesTheMeanAndDecodesScaledLatents() {
        try (NDManager m = NDManager.newBaseManager(); HfVaeCodec codec = HfVaeCodec.load(HfFixtures.folder(TINY))) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            assertEquals(0.18215f, codec.scale());
            assertEquals(new Shape(4, 8, 8), codec.latentShape(3, 16, 16));
            HfFixtures.assertClose(ref.get("enc_mean").mul(0.18215f), codec.encode(ref.get("images")), TOL, "encode");
            HfFixtures.assertClose(ref.get("decoded"), codec.decode(ref.get("latents").mul(0.18215f)), TOL, "decode");
            assertTrue(codec.describe().startsWith("hf:tiny-sd-vae(AutoencoderKL"), codec.describe());
            assertThrows(IllegalArgumentException.class, () -> codec.latentShape(3, 15, 16));
        }
    }

    @Test
    void slicingTheBatchGivesTheSameLatentsAndPixels() {
        try (NDManager m = NDManager.newBaseManager();
             HfVaeCodec one = HfVaeCodec.load(HfFixtures.folder(TINY), new HfVaeCodec.Options(false, 0, 1))) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            NDArray images = ref.get("images").concat(ref.get("images").flip(3), 0); // (4, 3, 16, 16)
            NDArray z = one.encode(images);
            assertEquals(new Shape(4, 4, 8, 8), z.getShape());
            HfFixtures.assertClose(ref.get("enc_mean").mul(0.18215f), z.get("0:2"), TOL, "slice 1, first half");
            NDArray pixels = one.decode(ref.get("latents").mul(0.18215f));
            HfFixtures.assertClose(ref.get("decoded"), pixels, TOL, "decode, slice 1");
        }
    }

    @Test
    void samplesWithTheSeedAroundTheMean() {
        try (NDManager m = NDManager.newBaseManager();
             HfVaeCodec a = HfVaeCodec.load(HfFixtures.folder(TINY), new HfVaeCodec.Options(true, 7, 4));
             HfVaeCodec b = HfVaeCodec.load(HfFixtures.folder(TINY), new HfVaeCodec.Options(true, 7, 1));
             HfVaeCodec c = HfVaeCodec.load(HfFixtures.folder(TINY), new HfVaeCodec.Options(true, 8, 4))) {
            Map<String, NDArray> ref = HfFixtures.reference(TINY, m);
            NDArray images = ref.get("images");
            NDArray za = a.encode(images);
            // the same seed gives the same draw whatever the slicing: eps is drawn in batch order
            HfFixtures.assertClose(za, b.encode(images), 1e-6, "same seed");
            assertTrue(za.sub(c.encode(images)).abs().max().getFloat() > 1e-3, "another seed draws other latents");
            // mean + exp(logvar / 2) * eps with eps = new Random(7).nextGaussian() in row-major order, scaled
            Random rng = new Random(7);
            float[] mean = ref.get("enc_mean").toFloatArray();
            float[] logVar = ref.get("enc_logvar").toFloatArray();
            float[] want = new float[mean.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = (float) ((mean[i] + Math.exp(0.5 * logVar[i]) * rng.nextGaussian()) * 0.18215);
            }
            HfFixtures.assertClose(m.create(want, za.getShape()), za, TOL, "sample formula");
        }
    }
}
