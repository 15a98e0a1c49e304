package org.parisjava.infer.released;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.infer.Ensemble;
import org.parisjava.infer.EnsembleSampler;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.infer.SamplerConfig;
import org.parisjava.infer.SamplingResult;
import org.parisjava.io.HfModelFolder;
import org.parisjava.latent.HfVaeCodec;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.model.Router;
import org.parisjava.model.RouterConfig;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.HfClipTextEncoder;
import org.parisjava.text.TextBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The released Paris model (bageldotcom/paris on Hugging Face, MIT licence on its card; arXiv
 * 2510.03434) read from its folder:
 *
 * <pre>
 *   model_index.json                 {"_class_name": "DDMPipeline", "num_experts": K}
 *   config.json                      image_size (latent side), num_channels, ...
 *   expert_{i}/config.json           hidden_size, num_layers, num_heads, patch_size, in/out_channels,
 *   expert_{i}/diffusion_pytorch_model.safetensors    mlp_ratio, text_embed_dim, use_adaln_single
 *   router/config.json               num_clusters, hidden_size, num_layers, num_heads, patch_size, in_channels
 *   router/pytorch_model.safetensors
 *   vae/  text_encoder/  tokenizer/  (diffusers and transformers layouts)
 * </pre>
 *
 * The experts are the project's {@link DiT} with {@link DiTConfig#withReleasedLayout()}, the router the
 * project's {@link Router} with {@link RouterConfig#withReleasedLayout()}; every tensor goes through
 * {@link ReleasedNames}. The router, text encoder and VAE load at once; an expert loads when the router
 * first gives it a weight. A missing {@code expert_i/} folder is dropped with a warning (the sampler
 * renormalizes the others).
 *
 * <p>Sampling follows docs/design.md, section 2 (t = 1 noise, the model sees 1000 t, guidance per
 * expert against the empty prompt, then the routed mixture); latents are decoded by the VAE after
 * dividing by its scaling factor (0.18215 for sd-vae-ft-mse).
 */
public final class ParisModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParisModel.class);

    /**
     * @param device  where the router and the experts run
     * @param offload true: expert weights stay in host memory and are copied to {@code device} for
     *                each step that uses them (for a GPU that cannot hold K experts); on the CPU it
     *                changes nothing
     */
    public record Options(Device device, boolean offload) {
        public Options {
            if (device == null) {
                throw new IllegalArgumentException("Device must not be null");
            }
        }

        /** CPU, no offload. */
        public static Options cpu() {
            return new Options(Device.cpu(), false);
        }
    }

    private final Path dir;
    private final Options options;
    private final NDManager manager;
    private final NDManager expertManager;
    private final DiTConfig expertConfig;
    private final RouterConfig routerConfig;
    private final List<LazyExpert> experts;
    private final Router router;
    private final HfClipTextEncoder text;
    private final HfVaeCodec vae;

    private ParisModel(Path dir, Options options, NDManager manager, NDManager expertManager, DiTConfig expertConfig,
                       RouterConfig routerConfig, List<LazyExpert> experts, Router router, HfClipTextEncoder text,
                       HfVaeCodec vae) {
        this.dir = dir;
        this.options = options;
        this.manager = manager;
        this.expertManager = expertManager;
        this.expertConfig = expertConfig;
        this.routerConfig = routerConfig;
        this.experts = experts;
        this.router = router;
        this.text = text;
        this.vae = vae;
    }

    /** Loads {@code dir} on the CPU. */
    public static ParisModel load(Path dir) {
        return load(dir, Options.cpu());
    }

    /**
     * Reads the folder's configs, the router, the text encoder and the VAE; experts are read on first use.
     *
     * @throws IllegalArgumentException naming the file, key or tensor that is missing, misshapen or
     *                                  unexpected, or when no expert folder is there at all
     */
    public static ParisModel load(Path dir, Options options) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No Paris model folder at " + dir
                    + " (download bageldotcom/paris, e.g. with: paris datasets fetch paris-weights)");
        }
        JsonObject index = readJson(dir.resolve("model_index.json"));
        JsonObject top = readJson(dir.resolve("config.json"));
        int k = intKey(index, "num_experts", dir.resolve("model_index.json"));
        int side = intKey(top, "image_size", dir.resolve("config.json"));
        NDManager manager = NDManager.newBaseManager(options.device());
        NDManager expertManager = options.offload() ? NDManager.newBaseManager(Device.cpu()) : manager;
        HfClipTextEncoder text = null;
        HfVaeCodec vae = null;
        try {
            text = HfClipTextEncoder.load(dir);
            vae = HfVaeCodec.load(dir.resolve("vae"));
            RouterConfig rc = routerConfig(dir.resolve("router"), side);
            if (rc.clusters() != k) {
                throw new IllegalArgumentException("Router in " + dir.resolve("router") + " scores " + rc.clusters()
                        + " experts, " + dir.resolve("model_index.json") + " says num_experts " + k);
            }
            Router router = loadRouter(dir.resolve("router"), rc, manager);
            DiTConfig ec = null;
            List<LazyExpert> experts = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Path ed = dir.resolve("expert_" + i);
                if (!Files.isDirectory(ed)) {
                    LOG.warn("Expert folder {} is missing: expert {} is dropped and the others renormalized", ed, i);
                    experts.add(null);
                    continue;
                }
                DiTConfig c = expertConfig(ed, side, text.maxTokens());
                if (ec != null && !ec.equals(c)) {
                    throw new IllegalArgumentException("Expert config " + ed.resolve("config.json") + " gives " + c
                            + ", earlier experts " + ec + ": the experts must share one size");
                }
                ec = c;
                if (c.textDim() != text.dim()) {
                    throw new IllegalArgumentException(ed.resolve("config.json") + " has text_embed_dim " + c.textDim()
                            + ", the text encoder in " + dir.resolve("text_encoder") + " emits " + text.dim());
                }
                DiTConfig fc = c;
                experts.add(new LazyExpert(i, expertManager, m -> loadExpert(ed, fc, m)));
            }
            if (ec == null) {
                throw new IllegalArgumentException("No expert_{i}/ folder in " + dir + " (num_experts " + k + ")");
            }
            return new ParisModel(dir, options, manager, expertManager, ec, rc, experts, router, text, vae);
        } catch (RuntimeException e) {
            if (text != null) {
                text.close();
            }
            if (vae != null) {
                vae.close();
            }
            if (expertManager != manager) {
                expertManager.close();
            }
            manager.close();
            throw e;
        }
    }

    /** The expert config of {@code expert_i/config.json}, in the released layout. */
    static DiTConfig expertConfig(Path dir, int side, int textTokens) {
        Path file = dir.resolve("config.json");
        JsonObject c = readJson(file);
        int in = intKey(c, "in_channels", file);
        int out = c.has("out_channels") ? intKey(c, "out_channels", file) : in;
        if (out != in) {
            throw new IllegalArgumentException(file + ": out_channels " + out + " differs from in_channels " + in
                    + " (a velocity has the latent's shape)");
        }
        if (c.has("use_adaln_single") && !c.get("use_adaln_single").getAsBoolean()) {
            throw new IllegalArgumentException(file + ": use_adaln_single false is not the released architecture");
        }
        double ratio = c.has("mlp_ratio") ? c.get("mlp_ratio").getAsDouble() : 4.0;
        if (ratio != Math.rint(ratio)) {
            throw new IllegalArgumentException(file + ": mlp_ratio " + ratio + " is not a whole number");
        }
        DiTConfig read = new DiTConfig("paris-expert", side, in, intKey(c, "patch_size", file),
                intKey(c, "hidden_size", file), intKey(c, "num_layers", file), intKey(c, "num_heads", file), (int) ratio,
                intKey(c, "text_embed_dim", file), textTokens).withReleasedLayout();
        for (String name : DiTConfig.presets()) { // named as the preset of the same size (DiT-XL/2), if any
            DiTConfig p = DiTConfig.of(name).withImage(side, in).withText(read.textDim(), textTokens).withReleasedLayout();
            DiTConfig same = new DiTConfig(name, read.imageSize(), read.inChannels(), read.patchSize(), read.hidden(),
                    read.depth(), read.heads(), read.mlpRatio(), read.textDim(), read.textTokens(), true, true);
            if (p.equals(same)) {
                return same;
            }
        }
        return read;
    }

    /** The router config of {@code router/config.json}, in the released layout. */
    static RouterConfig routerConfig(Path dir, int side) {
        Path file = dir.resolve("config.json");
        JsonObject c = readJson(file);
        int ratio = c.has("mlp_ratio") ? (int) c.get("mlp_ratio").getAsDouble() : 4;
        return new RouterConfig("paris-router", side, intKey(c, "in_channels", file), intKey(c, "patch_size", file),
                intKey(c, "hidden_size", file), intKey(c, "num_layers", file), intKey(c, "num_heads", file), ratio,
                intKey(c, "num_clusters", file)).withReleasedLayout();
    }

    /** Builds an expert of config {@code c} on {@code m} and fills it from {@code dir}. */
    static DiT loadExpert(Path dir, DiTConfig c, NDManager m) {
        DiT model = DiT.create(c);
        model.setInitializer(Initializer.ZEROS, p -> true); // every value is overwritten from the file
        model.initialize(m, DataType.FLOAT32, model.inputShapes(1));
        try (HfModelFolder folder = HfModelFolder.open(dir)) {
            ReleasedNames.load(model, folder, ReleasedNames.EXPERT, c.depth(), c.patchSize(), c.inChannels());
        }
        return model;
    }

    static Router loadRouter(Path dir, RouterConfig c, NDManager m) {
        Router model = Router.create(c);
        model.setInitializer(Initializer.ZEROS, p -> true);
        model.initialize(m, DataType.FLOAT32, model.inputShapes(1));
        try (HfModelFolder folder = HfModelFolder.open(dir)) {
            ReleasedNames.load(model, folder, ReleasedNames.ROUTER, c.depth(), c.patchSize(), c.inChannels());
        }
        return model;
    }

    public Path dir() {
        return dir;
    }

    public Options options() {
        return options;
    }

    /** K, counting missing experts. */
    public int experts() {
        return experts.size();
    }

    /** The experts' shared size. */
    public DiTConfig expertConfig() {
        return expertConfig;
    }

    public RouterConfig routerConfig() {
        return routerConfig;
    }

    public Router router() {
        return router;
    }

    public HfClipTextEncoder textEncoder() {
        return text;
    }

    public HfVaeCodec vae() {
        return vae;
    }

    /** Expert k, read now if it was not yet; null when its folder is missing. */
    public DiT expert(int k) {
        LazyExpert e = experts.get(k);
        return e == null ? null : e.model();
    }

    /** Which experts have been read so far (the router picked them, or {@link #expert} asked). */
    public boolean[] loadedExperts() {
        boolean[] out = new boolean[experts.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = experts.get(k) != null && experts.get(k).loaded();
        }
        return out;
    }

    /** Frees every loaded expert's weights; they are read again when next used. */
    public void releaseExperts() {
        experts.stream().filter(e -> e != null).forEach(LazyExpert::release);
    }

    /** The latent one image is sampled in: (C, side, side). */
    public ImageSpec latentSpec() {
        return new ImageSpec(expertConfig.inChannels(), expertConfig.imageSize(), expertConfig.imageSize());
    }

    /** The router and the (lazy) experts as an ensemble for {@link EnsembleSampler}. */
    public Ensemble ensemble() {
        return Ensemble.of(Collections.unmodifiableList(new ArrayList<Block>(experts)), router, null);
    }

    /** CLIP last hidden states (B, 77, 768) of the prompts, on the model's device; mask all ones. */
    public TextBatch encode(List<String> prompts, NDManager m) {
        TextBatch b = text.encode(prompts, m);
        if (options.device().equals(Device.cpu())) {
            return b;
        }
        return new TextBatch(b.tokens().toDevice(options.device(), false), b.mask().toDevice(options.device(), false));
    }

    /**
     * Samples latents: {@code perPrompt} images of each prompt (image i has id i, prompt-major), with
     * the seeded initial noise of docs/design.md, section 2, or {@code initialNoise} when not null.
     *
     * @param strategy top-1, top-2, full, sample-k, threshold... ({@link RoutingStrategy#parse})
     * @param progress one event per model evaluation
     */
    public SamplingResult sampleLatents(List<String> prompts, int perPrompt, RoutingStrategy strategy, int steps,
                                        double guidance, long seed, float[] initialNoise, ProgressListener progress) {
        if (prompts.isEmpty() || perPrompt < 1) {
            throw new IllegalArgumentException("Need at least one prompt and one image per prompt, got "
                    + prompts.size() + " prompts x " + perPrompt);
        }
        List<String> captions = new ArrayList<>();
        for (String p : prompts) {
            for (int j = 0; j < perPrompt; j++) {
                captions.add(p);
            }
        }
        long[] ids = new long[captions.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        SamplerConfig config = new SamplerConfig(latentSpec(), steps, guidance, seed);
        EnsembleSampler sampler = new EnsembleSampler(ensemble(), config);
        try (NDManager m = manager.newSubManager()) {
            TextBatch cond = encode(captions, m);
            TextBatch empty = encode(List.of(""), m);
            float[] noise = initialNoise != null ? initialNoise : EnsembleSampler.noise(config.spec(), seed, ids);
            return sampler.sample(m, cond, empty, strategy, ids, null, progress, noise);
        }
    }

    /**
     * Decodes latents (B, C, h, w) with the VAE (dividing by its scaling factor first) to images
     * (B, 3, H, W) in [-1, 1], flattened.
     */
    public float[] decode(SamplingResult latents) {
        ImageSpec s = latents.spec();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             NDArray z = m.create(latents.pixels(), new Shape(latents.count(), s.channels(), s.height(), s.width()));
             NDArray x = vae.decode(z)) { // (B, 3, H, W)
            return x.toFloatArray();
        }
    }

    /** The image side after decoding: the latent side times the VAE's downsampling factor. */
    public ImageSpec imageSpec() {
        int f = vae.model().config().downsampling();
        return new ImageSpec(3, expertConfig.imageSize() * f, expertConfig.imageSize() * f);
    }

    @Override
    public void close() {
        releaseExperts();
        text.close();
        vae.close();
        if (expertManager != manager) {
            expertManager.close();
        }
        manager.close();
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Missing " + file);
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException("Invalid JSON in " + file + ": " + e.getMessage(), e);
        }
    }

    private static int intKey(JsonObject o, String key, Path file) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("Missing " + key + " in " + file);
        }
        try {
            return e.getAsInt();
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(file + ": " + key + " is not an integer: " + e);
        }
    }
}
