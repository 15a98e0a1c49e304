package org.parisjava.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.ImageU8;
import org.parisjava.flow.InitialNoise;
import org.parisjava.flow.OdeSolver;
import org.parisjava.latent.LatentCodec;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.TextBatch;
import org.parisjava.text.TextEncoder;
import org.parisjava.text.TextEncoders;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;

/**
 * Samples from ONE trained model (an expert or the monolith) with its EMA weights: noise at t = 1
 * integrated to t = 0 with Euler or Heun, classifier-free guidance ({@link GuidedVelocity}) with the
 * conditional and unconditional rows in one batched forward. Image i's noise is {@link InitialNoise}
 * of (seed, i), the same as the ensemble sampler's image i, so a prompt's image does not depend on
 * the batch it is drawn in.
 *
 * <p>Letters: B images, C/H/W image, L text tokens, Dt text width.
 */
public final class ExpertSampler implements AutoCloseable {
    private final DiT model;
    private final TextEncoder encoder;
    private final NDManager manager;
    private final Checkpoint checkpoint;
    private final LatentCodec codec;

    private ExpertSampler(DiT model, TextEncoder encoder, NDManager manager, Checkpoint checkpoint,
                          LatentCodec codec) {
        this.model = model;
        this.encoder = encoder;
        this.manager = manager;
        this.checkpoint = checkpoint;
        this.codec = codec;
    }

    /**
     * Loads a checkpoint directory ({@code .../checkpoints/step-N}) or a model folder holding
     * {@code checkpoints/} (its newest complete checkpoint is used).
     */
    public static ExpertSampler load(Path dir, NDManager parent) {
        return load(dir, parent, TextEncoders.HASHED, null);
    }

    /**
     * As {@link #load(Path, NDManager)} for a model trained with text encoder {@code text} ({@code hashed}
     * or {@code hf:PATH}) in the latent space of {@code codec} (null: pixels); images are decoded by it.
     * The sampler does not own the codec.
     *
     * @throws IllegalArgumentException when the checkpoint holds another model than a DiT (a router, a
     *                                  classifier), naming the checkpoint and what it holds
     */
    public static ExpertSampler load(Path dir, NDManager parent, String text, LatentCodec codec) {
        Checkpoint c = Files.isDirectory(dir.resolve(FlowTrainer.CHECKPOINTS))
                ? Checkpoint.latest(dir.resolve(FlowTrainer.CHECKPOINTS)).orElseThrow(() ->
                        new IllegalArgumentException("No complete checkpoint under " + dir.resolve(FlowTrainer.CHECKPOINTS)))
                : Checkpoint.open(dir);
        String held = c.info().configClass();
        if (held != null && !held.equals(DiTConfig.class.getName())) {
            throw new IllegalArgumentException("Checkpoint " + c.dir() + " holds a " + c.info().kind() + " ("
                    + held.substring(held.lastIndexOf('.') + 1) + "), not a DiT: sample an expert"
                    + " (experts/cluster-XX) or the monolith");
        }
        DiTConfig config = c.info().config(DiTConfig.class);
        NDManager m = parent.newSubManager();
        DiT model = FlowTrainer.newModel(config, m, 0);
        c.loadWeights(model, true);
        return new ExpertSampler(model, FlowTrainer.textEncoder(text, config), m, c, codec);
    }

    public DiTConfig config() {
        return model.config();
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The velocity field of this model, guided with {@code scale} (1 = conditional only). */
    public NDArray velocity(NDArray x, float t, TextBatch cond, TextBatch empty, float scale) {
        long b = x.getShape().get(0);
        ParameterStore ps = new ParameterStore(x.getManager(), false);
        return GuidedVelocity.of(model, ps, x, x.getManager().full(new Shape(b), t), cond.tokens(), cond.mask(),
                empty, scale); // (B, C, H, W)
    }

    /** One image per prompt, as floats in [-1, 1] (B, C, H, W) on {@code out} (decoded, in a latent space). */
    public NDArray sample(List<String> prompts, int steps, float guidance, String solver, long seed, NDManager out) {
        DiTConfig c = config();
        int b = prompts.size();
        float[] noise = InitialNoise.gaussian(seed, InitialNoise.firstIds(b),
                c.inChannels() * c.imageSize() * c.imageSize()); // image i has id i, as in the ensemble sampler
        try (NDManager s = manager.newSubManager()) {
            TextBatch cond = encoder.encode(prompts, s);
            TextBatch empty = encoder.encode(List.of(""), s);
            NDArray x1 = s.create(noise, new Shape(b, c.inChannels(), c.imageSize(), c.imageSize())); // (B, C, H, W)
            NDArray x0 = OdeSolver.of(solver).sample((x, t) -> velocity(x, t, cond, empty, guidance), x1, steps);
            if (codec != null) {
                x0 = codec.decode(x0); // latents (B, C', H', W') -> images (B, C, H, W)
            }
            NDArray clipped = x0.clip(-1f, 1f); // (B, C, H, W)
            clipped.attach(out);
            return clipped;
        }
    }

    /** One image per prompt, as 8-bit images. */
    public List<ImageU8> sampleImages(List<String> prompts, int steps, float guidance, String solver, long seed) {
        try (NDManager s = manager.newSubManager()) {
            NDArray x = sample(prompts, steps, guidance, solver, seed, s); // (B, C, H, W)
            float[] v = x.toFloatArray();
            Shape sh = x.getShape();
            int ch = (int) sh.get(1);
            int h = (int) sh.get(2);
            int w = (int) sh.get(3);
            List<ImageU8> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                out.add(ImageU8.fromFloat(v, i * ch * h * w, ch, h, w));
            }
            return out;
        }
    }

    @Override
    public void close() {
        encoder.close();
        manager.close();
    }
}
