package org.parisjava.reproduce;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.parisjava.run.Preset;

/**
 * The tiny random-weight Hugging Face folders of the test resources (made by scripts/make_hf_clip_fixture.py,
 * make_hf_vae_fixture.py and make_hf_dinov2_fixture.py) as the three options of the paper path.
 */
public final class PaperTinyFolders {
    private PaperTinyFolders() {
    }

    /** {@code hf:} the tiny CLIP text tower (hidden 32, 77 tokens; its tokenizer is the sibling folder). */
    public static String text() {
        return "hf:" + resource("/hf-clip/text_encoder/config.json").getParent();
    }

    /** {@code hf:} the tiny AutoencoderKL (4 latent channels, one down-sampling: 32 px to 16x16x4). */
    public static String latent() {
        return "hf:" + resource("/hf/tiny-sd-vae/config.json").getParent();
    }

    /** {@code hf:} the tiny DINOv2 (hidden 32). */
    public static String features() {
        return "hf:" + resource("/hf/tiny-dinov2/config.json").getParent();
    }

    /**
     * {@code hf:} the tiny two-tower CLIPModel of the CLIP score (scripts/make_hf_clip_model_fixture.py: 32 px
     * images, projection 16, random weights), in openai/clip-vit-large-patch14's layout.
     */
    public static String clip() {
        return "hf:" + resource("/hf-clip/clip-model/config.json").getParent();
    }

    /** {@code preset} with the three tiny folders. */
    public static Reproduction.Options options(String preset, long seed) {
        return Reproduction.Options.of(Preset.of(preset), seed).withText(text()).withLatent(latent())
                .withFeatures(features());
    }

    private static Path resource(String name) {
        try {
            return Path.of(PaperTinyFolders.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource " + name, e);
        }
    }
}
