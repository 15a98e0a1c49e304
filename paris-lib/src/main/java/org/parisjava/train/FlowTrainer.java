package org.parisjava.train;

import org.parisjava.run.ComputeDevice;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.flow.CaptionDropout;
import org.parisjava.flow.RectifiedFlowPath;
import org.parisjava.flow.TimestepSampler;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.run.ProgressListener;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;
import org.parisjava.text.TextEncoder;
import org.parisjava.text.TextEncoders;

/**
 * Flow matching as a {@link LossStep} of the {@link TrainingLoop}, shared by {@link ExpertTrainer}
 * and {@link MonolithTrainer}: x_t = (1 - t) x0 + t eps, the DiT predicts v = eps - x0, loss =
 * mean (v_pred - v)^2 ({@link RectifiedFlowPath}; Paris arXiv 2510.03434, rectified flow as in
 * SD3 arXiv 2403.03206). The loop adds AdamW with warmup, clipping, EMA and atomic checkpoints.
 *
 * <p>Every random draw of step s comes from (seed, s) ({@link DataOrder}), and the optimizer and
 * EMA state are checkpointed exactly, so a resumed run ends bit-identical to an uninterrupted one
 * on the same machine (tested in one JVM and across processes; for the smoke preset also across
 * 1 and 2 PyTorch threads, which other sizes or a GPU need not guarantee).
 */
public final class FlowTrainer {
    /** The checkpoints folder of an expert or the monolith (the same for every trained model). */
    public static final String CHECKPOINTS = TrainingLoop.CHECKPOINTS;
    public static final String CONFIG = "train-config.json";

    private FlowTrainer() {
    }

    /** The recorded configuration of a run, written next to its outputs. */
    public record RunConfig(String kind, String data, int images, DiTConfig model, String textEncoder,
                            TrainOptions options, String dataOrder) {
    }

    /**
     * The model config for a data set: the preset adapted to its image size and channels (the latents'
     * when the shards hold latents: 4 channels for the SD-VAE).
     */
    public static DiTConfig modelConfig(String preset, ImageSpec spec) {
        if (spec.height() != spec.width()) {
            throw new IllegalArgumentException("DiT needs square images, got " + spec);
        }
        return DiTConfig.of(preset).withImage(spec.height(), spec.channels());
    }

    /** The hashed text encoder of a config (its text width and token count). */
    public static TextEncoder textEncoder(DiTConfig config) {
        return new HashedTokenEncoder(config.textDim(), config.textTokens());
    }

    /**
     * The run's text encoder for models of {@code config}: {@code hashed} at the config's text width and
     * token count, or CLIP from {@code hf:PATH}, whose width and token count must be the config's (the
     * experts were built for them). Training, sampling and the empty caption of guidance all use it.
     *
     * @throws IllegalArgumentException when the encoder's tokens do not fit the config, naming both
     */
    public static TextEncoder textEncoder(String spec, DiTConfig config) {
        TextEncoder e = TextEncoders.open(spec, config.textDim(), config.textTokens());
        if (e.dim() != config.textDim() || e.maxTokens() != config.textTokens()) {
            String d = e.describe();
            int dim = e.dim();
            int tokens = e.maxTokens();
            e.close();
            throw new IllegalArgumentException("Text encoder " + d + " gives " + tokens + " tokens of width "
                    + dim + ", model " + config.name() + " was built for " + config.textTokens() + " x "
                    + config.textDim() + ": sample with the text encoder it was trained with");
        }
        return e;
    }

    /** Builds and initializes a DiT with parameters that take gradients; the seed fixes the initial weights. */
    public static DiT newModel(DiTConfig config, NDManager manager, long seed) {
        DiT model = DiT.create(config);
        return TrainingLoop.initialize(model, manager, seed, model.inputShapes(1));
    }

    /**
     * Trains on {@code data} into {@code outDir} (checkpoints/, loss.csv, train-config.json),
     * resuming from the newest complete checkpoint there; {@code stop} may end it early with a
     * checkpoint (see {@link StopRequest}).
     */
    public static TrainResult train(String kind, TrainingSet data, TrainOptions o, Path outDir,
                                    ProgressListener listener, StopRequest stop) {
        DiTConfig preset = modelConfig(o.modelPreset(), data.spec());
        try (NDManager root = ComputeDevice.newManager();
             TextEncoder encoder = TextEncoders.open(o.text(), preset.textDim(), preset.textTokens())) {
            DiTConfig config = preset.withText(encoder.dim(), encoder.maxTokens()); // the DiT's text width is the encoder's
            DiT model = newModel(config, root, o.seed());
            return new TrainingLoop(kind + " " + data.name(), new TrainingLoop.Model(kind, model, config, root),
                    o.loop())
                    .savingTo(outDir, o)
                    .configFile(outDir.resolve(CONFIG), new RunConfig(kind, data.name(), data.count(), config,
                            encoder.describe(), o, DataOrder.DESCRIPTION))
                    .listener(listener)
                    .stopRequest(stop)
                    .run(data.count(), lossStep(model, encoder, data, o));
        }
    }

    /**
     * The flow-matching loss of one batch: sample captions (dropping some for classifier-free
     * guidance), timesteps and noise; interpolate; regress the velocity.
     */
    static LossStep lossStep(DiT model, TextEncoder encoder, TrainingSet data, TrainOptions o) {
        ImageSpec spec = data.spec();
        int per = spec.numel();
        float[] pixels = new float[o.batch() * per];
        CaptionDropout dropout = new CaptionDropout(o.captionDropout());
        TimestepSampler timesteps = TimestepSampler.parse(o.timesteps());
        return batch -> {
            int b = batch.size();
            List<String> captions = new ArrayList<>(b);
            for (int j = 0; j < b; j++) {
                data.imageToFloat(batch.indices()[j], pixels, j * per);
                captions.add(data.caption(batch.indices()[j]));
            }
            captions = dropout.apply(captions, batch.random()); // "" for some: the unconditional velocity
            float[] times = timesteps.sample(b, batch.random());
            NDManager s = batch.manager();
            NDArray x0 = s.create(FloatBuffer.wrap(pixels, 0, b * per),
                    new Shape(b, spec.channels(), spec.height(), spec.width())); // (B, C, H, W)
            TextBatch text = encoder.encode(captions, s); // (B, L, Dt), (B, L)
            NDArray t = s.create(times); // (B)
            NDArray eps = s.randomNormal(x0.getShape()); // (B, C, H, W)
            NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t); // (B, C, H, W)
            NDArray v = model.forward(new ParameterStore(s, false),
                    new NDList(xt, t, text.tokens(), text.mask()), true).singletonOrThrow(); // (B, C, H, W)
            return RectifiedFlowPath.loss(v, RectifiedFlowPath.velocity(x0, eps)); // ()
        };
    }
}
