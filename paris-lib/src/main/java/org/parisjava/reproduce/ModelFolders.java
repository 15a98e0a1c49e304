package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.eval.ClipScorer;
import org.parisjava.io.HfModelFolder;
import org.parisjava.latent.LatentCodecs;
import org.parisjava.text.HfClipTextEncoder;
import org.parisjava.text.TextEncoders;

/**
 * The model folders a run needs, checked together before the first stage: a paper preset
 * ({@link org.parisjava.run.Preset#paperModels()}) requires CLIP's text tower, the SD-VAE and DINOv2
 * as Hugging Face folders, and any {@code hf:} folder given must hold its config.json and weight
 * files; a CLIP model given for the CLIP score must hold both towers and their projections. Every problem is
 * listed in one error, with the option that fixes it and the catalogue entry
 * that says where the folder comes from, so a run is never refused one missing folder at a time.
 */
final class ModelFolders {
    private static final String HF = "hf:";

    private ModelFolders() {
    }

    /**
     * The problems of {@code o}'s model folders and (when {@code dataset}: the cluster stage has still to
     * read it) its dataset, one line each (empty when there are none).
     */
    static List<String> problems(Reproduction.Options o, boolean dataset) {
        List<String> out = new ArrayList<>();
        boolean paper = o.preset().paperModels();
        String preset = o.preset().name();
        if (o.text().equals(TextEncoders.HASHED)) {
            if (paper) {
                out.add("text encoder: preset " + preset + " conditions its experts on CLIP ViT-L/14 text tokens;"
                        + " give --text hf:PATH (catalogue entry clip-vit-large-patch14)");
            }
        } else {
            checkFolder(out, "text encoder", o.text(), true);
        }
        if (o.latent().equals(LatentCodecs.IDENTITY)) {
            if (paper) {
                out.add("latent space: preset " + preset + " trains on SD-VAE latents; give --latent hf:PATH"
                        + " (catalogue entry sd-vae-ft-mse)");
            }
        } else {
            checkFolder(out, "latent space", o.latent(), false);
        }
        if (o.features().startsWith(HF)) {
            checkFolder(out, "clustering features", o.features(), false);
        } else if (paper) {
            out.add("clustering features: preset " + preset + " clusters DINOv2 ViT-L/14 features; give"
                    + " --features hf:PATH (catalogue entry dinov2-large), not " + o.features());
        }
        if (o.clip() != null) {
            try {
                ClipScorer.check(Path.of(o.clip().substring(HF.length())));
            } catch (RuntimeException e) {
                out.add("CLIP score " + o.clip() + ": " + e.getMessage() + " (catalogue entry clip-vit-large-patch14)");
            }
        }
        if (dataset) {
            try {
                Reproduction.openDataset(o);
            } catch (RuntimeException e) {
                out.add("dataset " + o.datasetSpec() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Refuses {@code o} with every problem of {@link #problems} at once. */
    static void check(Reproduction.Options o, boolean dataset) {
        List<String> p = problems(o, dataset);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("Preset " + o.preset().name() + " cannot run:\n  - "
                    + String.join("\n  - ", p));
        }
    }

    /** Opens the folder's config.json and weight headers (cheap: no weights are read). */
    private static void checkFolder(List<String> out, String what, String spec, boolean clip) {
        Path path = Path.of(spec.substring(HF.length()));
        try {
            Path model = clip ? HfClipTextEncoder.locate(path).model() : path;
            HfModelFolder.open(model).close();
        } catch (RuntimeException e) {
            out.add(what + " " + spec + ": " + e.getMessage());
        }
    }
}
