package org.parisjava.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import org.parisjava.text.TinyModels;
import org.junit.jupiter.api.Test;

class VaeCodecTest {

    private static void assertClose(float[] want, float[] got, float scale) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i] * scale, got[i], 1e-4f, "value " + i);
        }
    }

    @Test
    void tinyVaeEncodesScaledAndDecodesAsInPython() throws IOException {
        JsonObject ref = TinyModels.reference();
        float scale = 0.5f;
        try (VaeCodec vae = VaeCodec.load(TinyModels.file("tiny_vae_encoder.pt"),
                TinyModels.file("tiny_vae_decoder.pt"), 4, 2, scale);
             NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.create(TinyModels.floats(ref, "images"), new Shape(2, 3, 4, 4));
            assertEquals(new Shape(4, 2, 2), vae.latentShape(3, 4, 4));
            NDArray z = vae.encode(images);
            assertEquals(new Shape(2, 4, 2, 2), z.getShape());
            assertClose(TinyModels.floats(ref, "latents_unscaled"), z.toFloatArray(), scale);
            NDArray back = vae.decode(z);
            assertEquals(new Shape(2, 3, 4, 4), back.getShape());
            assertClose(TinyModels.floats(ref, "decoded"), back.toFloatArray(), 1f);
            assertThrows(IllegalArgumentException.class, () -> vae.latentShape(3, 5, 4));
        }
    }

    @Test
    void identityIsPixelSpace() {
        try (NDManager m = NDManager.newBaseManager(); IdentityCodec id = new IdentityCodec()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 3, 4, 4));
            assertEquals(0f, id.decode(id.encode(x)).sub(x).abs().max().getFloat());
            assertEquals(new Shape(3, 4, 4), id.latentShape(3, 4, 4));
            assertEquals(1f, id.scale());
            assertEquals(0.18215f, VaeCodec.SD_SCALE);
        }
    }
}
