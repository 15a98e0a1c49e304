package org.parisjava.text;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.io.HfModelFolder;

/**
 * CLIP's text tower read straight from Hugging Face folders, no Python or export step: the
 * {@link ClipTokenizer} and the {@link ClipTextModel}. Gives the last hidden states (B, 77, D), every
 * position used (mask all ones), as Stable Diffusion and Paris condition on them; the empty caption
 * is the unconditional input for classifier-free guidance.
 *
 * <p>{@link #load} accepts, for a path P:
 * <ul>
 *   <li>a pipeline folder (Stable Diffusion, the released Paris model) with {@code P/text_encoder}
 *       and {@code P/tokenizer};</li>
 *   <li>a model folder with the tokenizer files beside the weights (openai/clip-vit-large-patch14,
 *       whose full CLIPModel weights are read for the text tower only);</li>
 *   <li>a {@code text_encoder} folder whose sibling {@code tokenizer} folder holds the tokenizer.</li>
 * </ul>
 */
public final class HfClipTextEncoder implements TextEncoder {
    private final NDManager manager;
    private final ClipTextModel model;
    private final ClipTokenizer tokenizer;
    private final String description;

    private HfClipTextEncoder(NDManager manager, ClipTextModel model, ClipTokenizer tokenizer, String description) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.description = description;
    }

    /** The model and tokenizer folders found for {@code path}. */
    public record Folders(Path model, Path tokenizer) {
    }

    /**
     * Finds the text model and tokenizer folders for {@code path} (see the class comment).
     *
     * @throws IllegalArgumentException naming the path when neither layout is there
     */
    public static Folders locate(Path path) {
        if (Files.isDirectory(path.resolve("text_encoder"))) {
            return new Folders(path.resolve("text_encoder"), path.resolve("tokenizer"));
        }
        if (!Files.isRegularFile(path.resolve("config.json"))) {
            throw new IllegalArgumentException("No CLIP text model at " + path
                    + " (expected config.json, or a text_encoder/ and tokenizer/ folder)");
        }
        boolean tokenizerHere = Files.isRegularFile(path.resolve("tokenizer.json"))
                || Files.isRegularFile(path.resolve("vocab.json"));
        Path sibling = path.toAbsolutePath().getParent() == null ? null
                : path.toAbsolutePath().getParent().resolve("tokenizer");
        if (!tokenizerHere && sibling != null && Files.isDirectory(sibling)) {
            return new Folders(path, sibling);
        }
        return new Folders(path, path);
    }

    /**
     * Loads the CLIP text encoder from {@code path} in float32 on the CPU.
     *
     * @throws IllegalArgumentException naming the folder, file or tensor that is missing or invalid
     */
    public static HfClipTextEncoder load(Path path) {
        Folders f = locate(path);
        NDManager manager = NDManager.newBaseManager(ComputeDevice.current());
        ClipTokenizer tok = null;
        try (HfModelFolder folder = HfModelFolder.open(f.model())) {
            ClipTextModel model = ClipTextModel.load(folder, manager);
            tok = ClipTokenizer.open(f.tokenizer(), model.config().maxPositions());
            ClipTextConfig c = model.config();
            return new HfClipTextEncoder(manager, model, tok, "clip-hf(path=" + path.getFileName() + ",layers="
                    + c.layers() + ",dim=" + c.hiddenSize() + ",tokens=" + c.maxPositions() + ",tokenizer="
                    + tok.describe() + ")");
        } catch (RuntimeException e) {
            if (tok != null) {
                tok.close();
            }
            manager.close();
            throw e;
        }
    }

    public ClipTextModel model() {
        return model;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int dim() {
        return model.config().hiddenSize();
    }

    @Override
    public int maxTokens() {
        return model.config().maxPositions();
    }

    @Override
    public String describe() {
        return description;
    }

    /** Tokenizes and runs the model: last_hidden_state (B, L, D) and pooled (B, D) on {@code manager}. */
    public ClipTextModel.Output run(List<String> captions, NDManager manager) {
        long[] ids = tokenizer.encode(captions);
        try (NDManager scope = manager.newSubManager()) {
            NDArray idArray = scope.create(ids, new Shape(captions.size(), maxTokens())); // (B, L)
            return model.forward(idArray, manager);
        }
    }

    @Override
    public TextBatch encode(List<String> captions, NDManager manager) {
        ClipTextModel.Output out = run(captions, manager);
        out.pooled().close();
        NDArray mask = manager.ones(new Shape(captions.size(), maxTokens())); // (B, L)
        return new TextBatch(out.lastHiddenState(), mask);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
        manager.close();
    }
}
