package org.parisjava.text;

import org.parisjava.run.ComputeDevice;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CLIP's text tower (the paper: ViT-L/14, 77 tokens x 768) through DJL, when a user provides the
 * weights: a TorchScript module taking int64 token ids (B, L) and returning the last hidden states
 * (B, L, D) (or a tuple whose first element they are), plus the model's Hugging Face
 * {@code tokenizer.json}. Captions are padded or truncated to {@code maxTokens}.
 *
 * <p>As in Stable Diffusion and Paris, every one of the L hidden states is used, padding included
 * (CLIP's causal attention puts sentence information into the states after the end token), so the
 * mask is all ones. The empty caption encodes to CLIP's own "start, end, padding" states, the usual
 * unconditional input for classifier-free guidance. The width D is read from a probe at load time.
 */
public final class ClipTextEncoder implements TextEncoder {

    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final int dim;
    private final String description;

    private ClipTextEncoder(Model model, HuggingFaceTokenizer tokenizer, int maxTokens, String description) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.description = description;
        try (NDManager probe = NDManager.newBaseManager(ComputeDevice.current())) {
            NDArray h = run(List.of(""), probe);
            this.dim = (int) h.getShape().get(2);
        }
    }

    /**
     * Loads the TorchScript text model and the tokenizer.
     *
     * @param torchScript   the traced or scripted text model file
     * @param tokenizerJson the Hugging Face tokenizer.json
     * @param maxTokens     L, the padded length (CLIP: 77)
     */
    public static ClipTextEncoder load(Path torchScript, Path tokenizerJson, int maxTokens) throws IOException {
        if (!Files.isRegularFile(torchScript)) {
            throw new IOException("CLIP text model not found: " + torchScript);
        }
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("Tokenizer file not found: " + tokenizerJson);
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("Invalid number of text tokens: " + maxTokens);
        }
        HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optPadToMaxLength().optMaxLength(maxTokens).optTruncation(true).build();
        Model model = Model.newInstance("clip-text", ComputeDevice.current(), "PyTorch");
        try {
            model.load(torchScript);
        } catch (MalformedModelException | IOException e) {
            model.close();
            tok.close();
            throw new IOException("Cannot load CLIP text model " + torchScript + ": " + e.getMessage(), e);
        }
        return new ClipTextEncoder(model, tok, maxTokens,
                "clip(model=" + torchScript.getFileName() + ",tokenizer=" + tokenizerJson.getFileName()
                        + ",tokens=" + maxTokens + ")");
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The padded token ids of each caption, (B, L) row-major. */
    public long[] tokenIds(List<String> captions) {
        long[] ids = new long[captions.size() * maxTokens];
        for (int i = 0; i < captions.size(); i++) {
            Encoding e = tokenizer.encode(captions.get(i));
            long[] row = e.getIds();
            if (row.length != maxTokens) {
                throw new IllegalStateException("Tokenizer returned " + row.length + " ids for caption " + i
                        + ", expected " + maxTokens + " (does tokenizer.json allow padding?)");
            }
            System.arraycopy(row, 0, ids, i * maxTokens, maxTokens);
        }
        return ids;
    }

    @Override
    public TextBatch encode(List<String> captions, NDManager manager) {
        NDArray tokens = run(captions, manager); // (B, L, D)
        NDArray mask = manager.ones(new Shape(captions.size(), maxTokens)); // (B, L)
        return new TextBatch(tokens, mask);
    }

    private NDArray run(List<String> captions, NDManager manager) {
        long[] ids = tokenIds(captions);
        try (NDManager scope = manager.newSubManager()) {
            NDArray idArray = scope.create(ids, new Shape(captions.size(), maxTokens)); // (B, L)
            NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(idArray), false);
            // frozen: never part of a training graph
            NDArray h = out.get(0).stopGradient().toType(DataType.FLOAT32, false); // (B, L, D)
            if (h.getShape().dimension() != 3 || h.getShape().get(1) != maxTokens) {
                throw new IllegalStateException("CLIP text model returned " + h.getShape() + ", expected (B, "
                        + maxTokens + ", D)");
            }
            h.attach(manager);
            return h;
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
