package org.parisjava.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named scales of docs/design.md, section 5, as one registry: everything a stage needs to know about
 * the size of a run. A run records the preset it used (and any overrides) in its run.json.
 *
 * @param name           registry key: tiny, smoke, demo, paper-tiny, paper-b2, paper-xl2
 * @param dataset        default dataset spec (see the CLI's --dataset)
 * @param imageSize      image side in pixels
 * @param trainImages    images drawn from the dataset (0 = all)
 * @param pcaComponents  PCA dimensions of the default feature extractor
 * @param fineClusters   first-stage k-means clusters (the paper: 1024)
 * @param coarseClusters K, the number of experts (the paper: 8)
 * @param expertModel    expert model preset name
 * @param expertSteps    optimizer steps per expert
 * @param expertBatch    batch size per expert
 * @param learningRate   AdamW learning rate for experts and monolith
 * @param routerModel    router model preset name
 * @param routerSteps    router optimizer steps
 * @param routerBatch    router batch size
 * @param samplingSteps  Euler steps at sampling time (the paper: 50)
 * @param cfgScale       classifier-free guidance scale (the paper: 7.5)
 * @param evalImages     generated images per strategy for evaluation
 * @param paperModels    whether the preset runs the paper's path and so requires its three model folders: CLIP's
 *                       text tower ({@code --text hf:PATH}), the SD-VAE ({@code --latent hf:PATH}) and DINOv2
 *                       ({@code --features hf:PATH}); the others default to hashed tokens, pixels and PCA
 */
public record Preset(String name, String dataset, int imageSize, int trainImages,
                     int pcaComponents, int fineClusters, int coarseClusters,
                     String expertModel, int expertSteps, int expertBatch, double learningRate,
                     String routerModel, int routerSteps, int routerBatch,
                     int samplingSteps, double cfgScale, int evalImages, boolean paperModels) {

    private static final Map<String, Preset> REGISTRY = new LinkedHashMap<>();

    static {
        register(new Preset("smoke", "shapes", 16, 512, 24, 16, 4,
                "smoke", 60, 32, 1e-3, "smoke", 80, 64, 8, 3.0, 64, false));
        // the end-to-end scheduler tests' scale: K=2, every stage in seconds (not a result worth reading)
        register(new Preset("tiny", "shapes", 16, 192, 8, 8, 2,
                "smoke", 12, 16, 1e-3, "smoke", 12, 32, 4, 3.0, 8, false));
        // 440 x 32 = 14,080 images an expert; at that budget batch 32 and lr 2e-3 end at a loss the earlier
        // 220 x 64 at 1e-3 reach only at about 1.8x the images (README, "How far the demo's experts are from converged")
        register(new Preset("demo", "shapes", 16, 8000, 50, 64, 8,
                "demo", 440, 32, 2e-3, "demo", 300, 128, 20, 4.0, 128, false));
        // The paper path at test size: the same code as paper-b2 (WebDataset, DINOv2, two-stage k-means,
        // SD-VAE latents, CLIP-conditioned DiT experts, router, strategies, decoding) on the shipped
        // 24-sample shard, with tiny random-weight Hugging Face folders (README, "The paper path"). Its smoke DiT
        // uses the exact GELU; paper-b2's tanh-GELU is tested in BlocksTest and by the released-layout model.
        register(new Preset("paper-tiny", "tiny-webdataset", 32, 0, 0, 6, 2,
                "smoke", 6, 4, 1e-3, "smoke", 6, 8, 2, 7.5, 8, true));
        register(new Preset("paper-b2", "laion-aesthetics", 256, 0, 0, 1024, 8,
                "DiT-B/2", 200_000, 256, 1e-4, "DiT-B/2", 100_000, 256, 50, 7.5, 50_000, true));
        register(new Preset("paper-xl2", "laion-aesthetics", 256, 0, 0, 1024, 8,
                "DiT-XL/2", 400_000, 256, 1e-4, "DiT-B/2", 100_000, 256, 50, 7.5, 50_000, true));
    }

    public Preset {
        if (coarseClusters < 1) {
            throw new IllegalArgumentException("Invalid number of clusters: " + coarseClusters);
        }
        if (fineClusters < coarseClusters) {
            throw new IllegalArgumentException("Fine clusters (" + fineClusters + ") must be at least K ("
                    + coarseClusters + ")");
        }
    }

    private static void register(Preset p) {
        REGISTRY.put(p.name(), p);
    }

    public static Preset of(String name) {
        Preset p = REGISTRY.get(name);
        if (p == null) {
            throw new IllegalArgumentException("Unknown preset '" + name + "'; known: " + names());
        }
        return p;
    }

    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }
}
