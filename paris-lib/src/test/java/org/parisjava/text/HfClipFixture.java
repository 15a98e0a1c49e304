package org.parisjava.text;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The Hugging Face CLIP folders and reference outputs that scripts/make_hf_clip_fixture.py writes. */
final class HfClipFixture {
    private HfClipFixture() {
    }

    static Path path(String name) {
        try {
            return Path.of(HfClipFixture.class.getResource("/hf-clip/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource hf-clip/" + name, e);
        }
    }
}
