package org.parisjava.features;

import ai.djl.MalformedModelException;
import ai.djl.ModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import org.parisjava.run.ComputeDevice;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.parisjava.data.ImageU8;

/**
 * Features from any image model DJL can run: TorchScript ({@code .pt}, PyTorch engine) or ONNX
 * ({@code .onnx}, ONNX Runtime engine). DINOv2 ViT-L/14 exported to TorchScript is the paper's
 * choice on a real host; the tests use a tiny traced conv net.
 *
 * <p>Input is a float batch (B, C, H, W): each image is resized (bilinear, half-pixel centres as
 * PyTorch's {@code align_corners=False}) to the model's input size, grey images are repeated to
 * three channels when the model wants three, and pixels are normalized. Output (B, D) is taken as
 * is; a rank-3 output (B, T, D) gives its first (CLS) token; a rank-4 map (B, D, h, w) is averaged
 * over space.
 */
public final class DjlModelFeatures implements FeatureExtractor {
    private final Path modelPath;
    private final int inputChannels;
    private final int inputHeight;
    private final int inputWidth;
    private final ImageNormalization normalization;
    private final ZooModel<Batch, float[][]> model;
    private final Predictor<Batch, float[][]> predictor;
    private final int dimension;

    private DjlModelFeatures(Builder b) throws ModelException, IOException {
        this.modelPath = b.modelPath;
        this.inputChannels = b.inputChannels;
        this.inputHeight = b.inputHeight;
        this.inputWidth = b.inputWidth;
        this.normalization = b.normalization;
        normalization.checkChannels(inputChannels);
        String engine = b.engine != null ? b.engine : engineFor(modelPath);
        Criteria<Batch, float[][]> criteria = Criteria.builder()
                .setTypes(Batch.class, float[][].class)
                .optModelPath(modelPath)
                .optEngine(engine)
                // the selected device for TorchScript; ONNX Runtime's CPU build has only the CPU
                .optDevice("PyTorch".equals(engine) ? ComputeDevice.current() : null)
                .optTranslator(new BatchTranslator())
                .build();
        this.model = criteria.loadModel();
        this.predictor = model.newPredictor();
        // One zero image tells the output dimension, and fails early on a wrong input size.
        float[][] probe;
        try {
            probe = predictor.predict(new Batch(new float[inputChannels * inputHeight * inputWidth], 1));
        } catch (TranslateException e) {
            close();
            throw new MalformedModelException("Model " + modelPath + " does not accept a (1, " + inputChannels + ", "
                    + inputHeight + ", " + inputWidth + ") float input: " + e.getMessage(), e);
        }
        this.dimension = probe[0].length;
    }

    public static Builder builder() {
        return new Builder();
    }

    static String engineFor(Path path) {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".onnx")) {
            return "OnnxRuntime";
        }
        if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript")) {
            return "PyTorch";
        }
        throw new IllegalArgumentException("Cannot tell the engine of model " + path
                + " (expected a .pt TorchScript or .onnx file; or set the engine)");
    }

    @Override
    public float[][] extract(List<ImageU8> batch) {
        if (batch.isEmpty()) {
            return new float[0][];
        }
        int per = inputChannels * inputHeight * inputWidth;
        float[] x = new float[batch.size() * per]; // (B, C, H, W)
        for (int b = 0; b < batch.size(); b++) {
            writeInput(batch.get(b), x, b * per);
        }
        try {
            return predictor.predict(new Batch(x, batch.size())); // (B, D)
        } catch (TranslateException e) {
            throw new IllegalStateException("Model " + modelPath + " failed on a batch of " + batch.size() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Resizes, converts channels and normalizes one image into {@code out} at {@code off}. */
    private void writeInput(ImageU8 img, float[] out, int off) {
        ModelInput.write(img, inputChannels, inputHeight, inputWidth, normalization, out, off, modelPath.toString());
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return "model:" + modelPath.getFileName();
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** A flat (B, C, H, W) float batch. */
    record Batch(float[] data, int size) {
    }

    /** Float batch in, (B, D) features out; arrays live in the per-call manager DJL closes after each call. */
    private final class BatchTranslator implements Translator<Batch, float[][]> {
        @Override
        public NDList processInput(TranslatorContext ctx, Batch input) {
            Shape shape = new Shape(input.size(), inputChannels, inputHeight, inputWidth);
            return new NDList(ctx.getNDManager().create(input.data(), shape)); // (B, C, H, W)
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray y = list.get(0);
            if (y.getShape().dimension() == 3) {
                y = y.get(":, 0, :"); // (B, T, D) -> (B, D): the CLS token
            } else if (y.getShape().dimension() == 4) {
                y = y.mean(new int[] {2, 3}); // (B, D, h, w) -> (B, D)
            } else if (y.getShape().dimension() != 2) {
                throw new IllegalStateException("Model " + modelPath + " returned shape " + y.getShape()
                        + "; expected (B, D), (B, T, D) or (B, D, h, w)");
            }
            int b = (int) y.getShape().get(0);
            int d = (int) y.getShape().get(1);
            float[] flat = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[b][d]; // (B, D)
            for (int i = 0; i < b; i++) {
                System.arraycopy(flat, i * d, out[i], 0, d);
            }
            return out;
        }

        @Override
        public Batchifier getBatchifier() {
            return null; // the input is already a batch
        }
    }

    /** Builder: {@code setModelPath} is required; input defaults to (3, 224, 224) with ImageNet normalization. */
    public static final class Builder {
        private Path modelPath;
        private String engine;
        private int inputChannels = 3;
        private int inputHeight = 224;
        private int inputWidth = 224;
        private ImageNormalization normalization = ImageNormalization.IMAGENET;

        public Builder setModelPath(Path modelPath) {
            this.modelPath = modelPath;
            return this;
        }

        /** "PyTorch" or "OnnxRuntime"; by default chosen from the file extension. */
        public Builder optEngine(String engine) {
            this.engine = engine;
            return this;
        }

        public Builder optInputSize(int channels, int height, int width) {
            this.inputChannels = channels;
            this.inputHeight = height;
            this.inputWidth = width;
            return this;
        }

        public Builder optNormalization(ImageNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Loads the model and probes its output dimension. */
        public DjlModelFeatures build() {
            if (modelPath == null) {
                throw new IllegalArgumentException("DjlModelFeatures needs a model path");
            }
            if (!Files.isRegularFile(modelPath)) {
                throw new IllegalArgumentException("Model file not found: " + modelPath);
            }
            if (inputChannels != 1 && inputChannels != 3 || inputHeight < 1 || inputWidth < 1) {
                throw new IllegalArgumentException("Invalid model input size: " + inputChannels + "x" + inputHeight + "x"
                        + inputWidth);
            }
            if (engine == null) {
                engineFor(modelPath);
            }
            try {
                return new DjlModelFeatures(this);
            } catch (ModelException | IOException e) {
                throw new IllegalArgumentException("Cannot load model " + modelPath + ": " + e.getMessage(), e);
            }
        }
    }
}
