package org.parisjava.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.parisjava.io.HfModelFolder;

/**
 * CLIP's text tower with its {@code text_projection} (Radford et al. 2021, arXiv 2103.00020): the
 * pooled end-token state of {@link ClipTextModel} times the projection (no bias) is the text embedding
 * in the space CLIP's image embeddings share, transformers' {@code CLIPModel.get_text_features} and
 * {@code CLIPTextModelWithProjection.text_embeds}. Reads a full CLIPModel folder (openai/clip-vit-large-patch14:
 * the vision tower is left unread) or a CLIPTextModelWithProjection folder, with the tokenizer beside it or
 * in a sibling {@code tokenizer/} folder ({@link HfClipTextEncoder#locate}).
 *
 * <p>Shapes: B captions, L tokens (77), D text hidden, P projection. Safe to call from one thread at a time.
 */
public final class ClipTextProjection implements AutoCloseable {
    private final NDManager manager;
    private final ClipTextModel model;
    private final ClipTokenizer tokenizer;
    private final NDArray projection; // (P, D)

    private ClipTextProjection(NDManager manager, ClipTextModel model, ClipTokenizer tokenizer, NDArray projection) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.projection = projection;
    }

    /**
     * Loads the text tower, its projection and the tokenizer.
     *
     * @param model     the folder holding config.json and the weights (a CLIPModel or CLIPTextModelWithProjection)
     * @param tokenizer the tokenizer folder (tokenizer.json, or vocab.json and merges.txt)
     * @param parent    the manager the weights' manager is a child of (closed by {@link #close})
     * @throws IllegalArgumentException naming the folder and tensor when {@code text_projection.weight} or any
     *                                  other weight is missing, unexpected or wrongly shaped
     */
    public static ClipTextProjection load(Path model, Path tokenizer, NDManager parent) {
        NDManager m = parent.newSubManager();
        ClipTokenizer tok = null;
        try (HfModelFolder folder = HfModelFolder.open(model)) {
            ClipTextConfig c = ClipTextConfig.fromJson(folder.config(), model.resolve("config.json"));
            if (!folder.has("text_projection.weight")) {
                throw new IllegalArgumentException("No text_projection.weight in " + model + ": a CLIP score needs"
                        + " CLIPModel or CLIPTextModelWithProjection weights, not a bare CLIPTextModel");
            }
            long[] shape = folder.shape("text_projection.weight");
            NDArray projection = folder.take("text_projection.weight", m, shape.length == 2 ? shape[0] : -1,
                    c.hiddenSize()); // (P, D)
            ClipTextModel text = ClipTextModel.load(folder, m); // claims the rest; the vision side is ignored
            tok = ClipTokenizer.open(tokenizer, c.maxPositions());
            return new ClipTextProjection(m, text, tok, projection);
        } catch (RuntimeException e) {
            if (tok != null) {
                tok.close();
            }
            m.close();
            throw e;
        }
    }

    /** P, the width of the shared space. */
    public int projectionDim() {
        return (int) projection.getShape().get(0);
    }

    public ClipTextModel model() {
        return model;
    }

    /**
     * The text embeddings of {@code captions} (tokenized, padded and truncated to L as CLIP's tokenizer does).
     *
     * @return (B, P) float32 in {@code out}
     */
    public NDArray embed(List<String> captions, NDManager out) {
        long[] ids = tokenizer.encode(captions);
        try (NDManager scope = out.newSubManager()) {
            NDArray idArray = scope.create(ids, new Shape(captions.size(), model.config().maxPositions())); // (B, L)
            return embedIds(idArray, out);
        }
    }

    /** The text embeddings of token ids (B, L) int64: the pooled state times the projection, (B, P) in {@code out}. */
    public NDArray embedIds(NDArray ids, NDManager out) {
        try (NDManager scope = out.newSubManager()) {
            ClipTextModel.Output o = model.forward(ids, scope); // (B, L, D), (B, D)
            NDArray e = o.pooled().getNDArrayInternal().linear(o.pooled(), projection, null).singletonOrThrow(); // (B, P)
            e.attach(out);
            return e;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
        manager.close();
    }
}
