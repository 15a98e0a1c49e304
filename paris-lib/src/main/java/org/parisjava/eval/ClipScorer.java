package org.parisjava.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.data.ImageU8;
import org.parisjava.io.HfModelFolder;
import org.parisjava.run.ComputeDevice;
import org.parisjava.text.ClipTextProjection;
import com.google.gson.JsonParser;
import org.parisjava.vision.ClipImageProcessor;
import org.parisjava.vision.ClipVisionConfig;
import org.parisjava.vision.ClipVisionModel;

/**
 * Both towers of a CLIP model (Radford et al. 2021, arXiv 2103.00020) read from Hugging Face folders,
 * scoring images against captions with {@link ClipScore}. Two layouts are accepted for a path P:
 * <ul>
 *   <li>a full {@code CLIPModel} folder, as openai/clip-vit-large-patch14 ships: P/config.json with
 *       {@code text_config} and {@code vision_config}, one set of weights holding {@code vision_model.*},
 *       {@code text_model.*}, both projections and {@code logit_scale}, the tokenizer files and
 *       {@code preprocessor_config.json} beside them;</li>
 *   <li>separate folders: P/image_encoder (CLIPVisionModelWithProjection), P/text_encoder
 *       (CLIPTextModelWithProjection), P/tokenizer, and the preprocessing in
 *       P/feature_extractor/preprocessor_config.json or P/image_encoder/preprocessor_config.json.</li>
 * </ul>
 * Without a preprocessor_config.json, CLIP's defaults at the model's input side are used.
 */
public final class ClipScorer implements AutoCloseable {
    /** Images or captions per forward pass. */
    private static final int BATCH = 32;

    private final NDManager manager;
    private final ClipVisionModel vision;
    private final ClipTextProjection text;
    private final ClipImageProcessor processor;
    private final String name;

    /** Where the parts of a CLIP model are, for a path in one of the two layouts. */
    public record Folders(Path vision, Path text, Path tokenizer, Path preprocessor) {
    }

    private ClipScorer(NDManager manager, ClipVisionModel vision, ClipTextProjection text,
                       ClipImageProcessor processor, String name) {
        this.manager = manager;
        this.vision = vision;
        this.text = text;
        this.processor = processor;
        this.name = name;
    }

    /**
     * Finds the parts of the CLIP model at {@code path} without reading any weight.
     *
     * @throws IllegalArgumentException naming the path and what is expected when neither layout is there
     */
    public static Folders locate(Path path) {
        if (Files.isDirectory(path.resolve("image_encoder")) || Files.isDirectory(path.resolve("text_encoder"))) {
            Path pre = path.resolve("feature_extractor").resolve(ClipImageProcessor.FILE);
            if (!Files.isRegularFile(pre)) {
                pre = path.resolve("image_encoder").resolve(ClipImageProcessor.FILE);
            }
            for (String part : new String[] {"image_encoder", "text_encoder", "tokenizer"}) {
                if (!Files.isDirectory(path.resolve(part))) {
                    throw new IllegalArgumentException("CLIP model " + path + " has no " + part + "/ folder (separate"
                            + " layout: image_encoder/, text_encoder/ and tokenizer/)");
                }
            }
            return new Folders(path.resolve("image_encoder"), path.resolve("text_encoder"), path.resolve("tokenizer"),
                    Files.isRegularFile(pre) ? pre : null);
        }
        if (!Files.isRegularFile(path.resolve("config.json"))) {
            throw new IllegalArgumentException("No CLIP model at " + path + " (expected a CLIPModel folder with"
                    + " config.json, or image_encoder/, text_encoder/ and tokenizer/ folders)");
        }
        boolean tokenizerHere = Files.isRegularFile(path.resolve("tokenizer.json"))
                || Files.isRegularFile(path.resolve("vocab.json"));
        Path tokenizer = tokenizerHere ? path : path.resolve("tokenizer");
        if (!Files.isDirectory(tokenizer)) {
            throw new IllegalArgumentException("CLIP model " + path + " has no tokenizer (tokenizer.json or vocab.json"
                    + " and merges.txt beside config.json)");
        }
        Path pre = path.resolve(ClipImageProcessor.FILE);
        return new Folders(path, path, tokenizer, Files.isRegularFile(pre) ? pre : null);
    }

    /**
     * Checks that {@code path} holds a usable CLIP model: the layout, config.json and weight headers of
     * both towers and their two projections (cheap: no weights are read).
     *
     * @throws IllegalArgumentException naming the folder and what is missing
     */
    public static void check(Path path) {
        Path config = path.resolve("config.json");
        if (Files.isRegularFile(config)) { // a folder of another model is named as such before anything else
            try {
                ClipVisionConfig.fromJson(JsonParser.parseString(Files.readString(config)).getAsJsonObject(), config);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read " + config, e);
            } catch (IllegalStateException | com.google.gson.JsonParseException e) {
                throw new IllegalArgumentException("Invalid JSON in " + config + ": " + e.getMessage(), e);
            }
        }
        Folders f = locate(path);
        for (String[] part : new String[][] {{f.vision().toString(), "visual_projection.weight"},
                {f.text().toString(), "text_projection.weight"}}) {
            try (HfModelFolder folder = HfModelFolder.open(Path.of(part[0]))) {
                if (!folder.has(part[1])) {
                    throw new IllegalArgumentException("No " + part[1] + " in " + part[0] + ": a CLIP score needs the"
                            + " projections into CLIP's shared space (a CLIPModel, or the *WithProjection models)");
                }
            }
        }
    }

    /**
     * Loads both towers in float32 on the current device.
     *
     * @throws IllegalArgumentException naming the folder, file or tensor that is missing or invalid, or a
     *                                  preprocessing whose crop differs from the vision tower's input side
     */
    public static ClipScorer load(Path path) {
        Folders f = locate(path);
        NDManager m = ComputeDevice.newManager();
        ClipVisionModel vision = null;
        ClipTextProjection text = null;
        try {
            vision = ClipVisionModel.load(f.vision(), m);
            text = ClipTextProjection.load(f.text(), f.tokenizer(), m);
            int side = vision.config().imageSize();
            ClipImageProcessor processor = f.preprocessor() == null ? ClipImageProcessor.defaults(side)
                    : ClipImageProcessor.read(f.preprocessor());
            if (processor.crop() != side) {
                throw new IllegalArgumentException("CLIP preprocessing " + f.preprocessor() + " crops to "
                        + processor.crop() + " px, the vision tower of " + f.vision() + " takes " + side + " px");
            }
            if (text.projectionDim() != vision.config().projectionDim()) {
                throw new IllegalArgumentException("CLIP text projection of " + f.text() + " has width "
                        + text.projectionDim() + ", the visual projection of " + f.vision() + " "
                        + vision.config().projectionDim());
            }
            var v = vision.config();
            String name = "clip-hf(" + path.getFileName() + ",vision=" + v.layers() + "x" + v.hidden() + "@"
                    + v.imageSize() + "/" + v.patchSize() + ",text=" + text.model().config().layers() + "x"
                    + text.model().config().hiddenSize() + ",projection=" + v.projectionDim() + ")";
            return new ClipScorer(m, vision, text, processor, name);
        } catch (RuntimeException e) {
            if (text != null) {
                text.close();
            }
            if (vision != null) {
                vision.close();
            }
            m.close();
            throw e;
        }
    }

    /** What the model is, for run records and tables. */
    public String name() {
        return name;
    }

    public ClipVisionModel vision() {
        return vision;
    }

    public ClipImageProcessor processor() {
        return processor;
    }

    /** Image embeddings (N, P): preprocessed as CLIP does, through the vision tower and its projection. */
    public float[][] imageEmbeddings(List<ImageU8> images) {
        int side = processor.crop();
        int p = vision.config().projectionDim();
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            List<ImageU8> batch = images.subList(from, Math.min(images.size(), from + BATCH));
            try (NDManager scope = manager.newSubManager()) {
                NDArray pixels = scope.create(processor.pixels(batch), new Shape(batch.size(), 3, side, side));
                try (ClipVisionModel.Output o = vision.forward(pixels)) { // image_embeds (B, P)
                    float[] flat = o.imageEmbeds().toFloatArray();
                    for (int i = 0; i < batch.size(); i++) {
                        out[from + i] = java.util.Arrays.copyOfRange(flat, i * p, (i + 1) * p);
                    }
                }
            }
        }
        return out;
    }

    /** Text embeddings (N, P) of the captions. */
    public float[][] textEmbeddings(List<String> captions) {
        int p = text.projectionDim();
        float[][] out = new float[captions.size()][];
        for (int from = 0; from < captions.size(); from += BATCH) {
            List<String> batch = captions.subList(from, Math.min(captions.size(), from + BATCH));
            try (NDManager scope = manager.newSubManager()) {
                float[] flat = text.embed(batch, scope).toFloatArray(); // (B, P)
                for (int i = 0; i < batch.size(); i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * p, (i + 1) * p);
                }
            }
        }
        return out;
    }

    /** Per image, its CLIP score against the caption at the same index ({@link ClipScore#perPair}). */
    public double[] scores(List<ImageU8> images, List<String> captions) {
        return ClipScore.perPair(imageEmbeddings(images), textEmbeddings(captions));
    }

    /** The CLIP score of the images against their captions, with its bootstrap interval. */
    public ClipScore score(List<ImageU8> images, List<String> captions, long seed) {
        return ClipScore.of(scores(images, captions), seed);
    }

    @Override
    public void close() {
        text.close();
        vision.close();
        manager.close();
    }
}
