package org.parisjava.eval;

import org.parisjava.run.ComputeDevice;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.parisjava.data.ImageU8;
import org.parisjava.data.Sample;
import org.parisjava.io.Json;
import org.parisjava.run.ProgressListener;
import org.parisjava.train.CrossEntropy;
import org.parisjava.train.LoopOptions;
import org.parisjava.train.ModelWeights;
import org.parisjava.train.ParameterNames;
import org.parisjava.train.StopRequest;
import org.parisjava.train.TrainResult;
import org.parisjava.train.TrainingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's evaluation network, trained on the real data: its penultimate features define the
 * space of the Frechet distance (FD-feat), and its heads read back the attributes a caption asked
 * for (prompt adherence). Saved as {@code classifier.safetensors} plus {@code classifier.json}.
 * Trained by the {@link TrainingLoop} with a cross-entropy {@code LossStep} per head.
 */
public final class FeatureClassifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureClassifier.class);
    public static final String WEIGHTS = "classifier.safetensors";
    public static final String INFO = "classifier.json";
    /** The checkpoint kind of a classifier trained into a folder. */
    public static final String KIND = "feature-classifier";
    private static final String TASK = "classifier";

    private final FeatureNet net;
    private final NDManager manager;
    private final Info info;

    /**
     * Training settings.
     *
     * @param steps        Adam updates
     * @param batch        images per update
     * @param learningRate Adam rate (constant: no warmup, no weight decay, no averaging, no clipping)
     * @param validation   images held out to measure accuracy
     * @param seed         split, order and initialization
     */
    public record Options(int steps, int batch, double learningRate, int validation, long seed) {
        /** Updates on a large set (at least {@link #LARGE_SET} images) and on a smaller one. */
        public static final int STEPS_LARGE = 1000;
        public static final int STEPS_SMALL = 400;
        public static final int LARGE_SET = 4000;
        public static final int BATCH = 64;
        public static final double LEARNING_RATE = 3e-3;
        /** Held out: a tenth of the images, at most this many. */
        public static final int MAX_VALIDATION = 500;

        public Options {
            if (steps < 1 || batch < 1 || !(learningRate > 0) || validation < 0) {
                throw new IllegalArgumentException("Invalid classifier options: steps " + steps + ", batch " + batch
                        + ", rate " + learningRate + ", validation " + validation);
            }
        }

        /**
         * Defaults measured on shapes 16x16 (2 cores): 1000 steps of 64 on 8000 images reach held-out
         * accuracy 0.996 (shape) and 1.0 (colour) in about 21 s; 400 steps on 3000 images 0.87 and 1.0.
         */
        public static Options forImages(int images, long seed) {
            return new Options(images >= LARGE_SET ? STEPS_LARGE : STEPS_SMALL, BATCH, LEARNING_RATE,
                    Math.min(MAX_VALIDATION, images / 10), seed);
        }

        /** The loop's settings: Adam at a constant rate, no weight decay, no clipping, the raw weights kept. */
        public LoopOptions loop() {
            int noWarmup = 0;
            double noWeightDecay = 0;
            double plainCopy = 0; // EMA decay 0: the averaged copy is the weights themselves
            double noClipping = 0;
            return new LoopOptions(steps, batch, learningRate, noWarmup, noWeightDecay, plainCopy, noClipping,
                    LoopOptions.defaultCheckpointEvery(steps), LoopOptions.defaultLogEvery(steps), seed);
        }
    }

    /** What classifier.json records: the config, how it was trained, and its held-out accuracy per head. */
    public record Info(ClassifierConfig config, Options options, int trainImages, Map<String, Double> accuracy) {
    }

    private FeatureClassifier(FeatureNet net, NDManager manager, Info info) {
        this.net = net;
        this.manager = manager;
        this.info = info;
    }

    public ClassifierConfig config() {
        return net.config();
    }

    public Info info() {
        return info;
    }

    private static FeatureNet build(ClassifierConfig c, NDManager m, long seed) {
        Engine.getInstance().setRandomSeed(Long.hashCode(seed * 31 + 7));
        FeatureNet net = new FeatureNet(c);
        net.initialize(m, DataType.FLOAT32, new Shape(1, c.channels(), c.imageSize(), c.imageSize()));
        return net;
    }

    /** A randomly initialized classifier (for tests and for timing the evaluation path). */
    public static FeatureClassifier untrained(ClassifierConfig c, long seed) {
        NDManager m = ComputeDevice.newManager();
        return new FeatureClassifier(build(c, m, seed), m, new Info(c, null, 0, Map.of()));
    }

    /** Trains on labelled samples (their attributes name each head's class), in memory. */
    public static FeatureClassifier train(List<Sample> samples, ClassifierConfig c, Options o,
                                          ProgressListener listener) {
        return train(samples, c, o, null, listener, StopRequest.NEVER).classifier();
    }

    /**
     * What a classifier training ended with: the classifier (null when a stop request ended the run
     * early; running it again resumes) and the loop's result.
     */
    public record Trained(FeatureClassifier classifier, TrainResult training) {
    }

    /**
     * Trains on labelled samples with the {@link TrainingLoop}: cross-entropy summed over the heads.
     * With a folder, it checkpoints there and resumes from it ({@code checkpoints/}, {@code loss.csv});
     * with {@code dir} null the run stays in memory.
     */
    public static Trained train(List<Sample> samples, ClassifierConfig c, Options o, Path dir,
                                ProgressListener listener, StopRequest stop) {
        int n = samples.size();
        if (o.validation() >= n) {
            throw new IllegalArgumentException("Validation count " + o.validation() + " leaves no training images of "
                    + n);
        }
        List<String> heads = new ArrayList<>(c.heads().keySet());
        int per = c.spec().numel();
        float[] pixels = new float[n * per];
        int[][] labels = new int[heads.size()][n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            if (!c.spec().matches(s.image())) {
                throw new IllegalArgumentException("Sample " + s.id() + " is not " + c.spec());
            }
            s.image().toFloat(pixels, i * per);
            for (int h = 0; h < heads.size(); h++) {
                String v = s.attributes().get(heads.get(h));
                int y = c.heads().get(heads.get(h)).indexOf(v);
                if (y < 0) {
                    throw new IllegalArgumentException("Sample " + s.id() + " has " + heads.get(h) + " '" + v
                            + "', not one of " + c.heads().get(heads.get(h)));
                }
                labels[h][i] = y;
            }
        }
        int[] perm = permutation(n, o.seed());
        int[] val = java.util.Arrays.copyOfRange(perm, 0, o.validation());
        int[] train = java.util.Arrays.copyOfRange(perm, o.validation(), n);
        NDManager m = ComputeDevice.newManager();
        try {
            FeatureNet net = build(c, m, o.seed());
            Map<String, Parameter> params = ParameterNames.of(net);
            params.values().forEach(p -> p.getArray().setRequiresGradient(true));
            TrainingLoop loop = new TrainingLoop(TASK, new TrainingLoop.Model(KIND, net, c, m), o.loop())
                    .listener(listener).stopRequest(stop);
            if (dir != null) {
                loop.savingTo(dir, o);
            }
            TrainResult r = loop.run(train.length, batch -> {
                int b = batch.size();
                float[] x = new float[b * per];
                int[][] y = new int[heads.size()][b];
                for (int j = 0; j < b; j++) {
                    int i = train[batch.indices()[j]];
                    System.arraycopy(pixels, i * per, x, j * per, per);
                    for (int h = 0; h < heads.size(); h++) {
                        y[h][j] = labels[h][i];
                    }
                }
                NDManager s = batch.manager();
                NDList out = net.forward(new ParameterStore(s, false), new NDList(s.create(x,
                        new Shape(b, c.channels(), c.imageSize(), c.imageSize()))), true); // features, then (B, n_h) per head
                NDArray l = null;
                for (int h = 0; h < heads.size(); h++) {
                    NDArray lh = CrossEntropy.loss(out.get(h + 1), y[h], s); // ()
                    l = l == null ? lh : l.add(lh);
                }
                return l;
            });
            params.values().forEach(p -> p.getArray().setRequiresGradient(false));
            if (r.stoppedEarly()) {
                m.close();
                return new Trained(null, r);
            }
            FeatureClassifier fc = new FeatureClassifier(net, m, new Info(c, o, train.length, Map.of()));
            Map<String, Double> acc = new LinkedHashMap<>();
            if (val.length > 0) {
                List<ImageU8> images = new ArrayList<>();
                for (int i : val) {
                    images.add(samples.get(i).image());
                }
                Map<String, int[]> pred = fc.predict(images);
                for (int h = 0; h < heads.size(); h++) {
                    int hits = 0;
                    for (int j = 0; j < val.length; j++) {
                        hits += pred.get(heads.get(h))[j] == labels[h][val[j]] ? 1 : 0;
                    }
                    acc.put(heads.get(h), (double) hits / val.length);
                }
                LOG.info("classifier: held-out accuracy {}", acc);
            }
            return new Trained(new FeatureClassifier(net, m, new Info(c, o, train.length, acc)), r);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0xC1A551F1E7L);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public void save(Path dir) {
        ModelWeights.save(net, dir.resolve(WEIGHTS), Map.of("kind", KIND));
        Json.write(dir.resolve(INFO), info);
    }

    public static FeatureClassifier load(Path dir) {
        Info info = Json.read(dir.resolve(INFO), Info.class);
        NDManager m = ComputeDevice.newManager();
        try {
            FeatureNet net = build(info.config(), m, 0);
            ModelWeights.load(net, dir.resolve(WEIGHTS));
            return new FeatureClassifier(net, m, info);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Penultimate features (N, F): the Frechet space. */
    public float[][] features(List<ImageU8> images) {
        return run(images).features;
    }

    /** The predicted class index per head (N). */
    public Map<String, int[]> predict(List<ImageU8> images) {
        return run(images).predictions;
    }

    private record Outputs(float[][] features, Map<String, int[]> predictions) {
    }

    private Outputs run(List<ImageU8> images) {
        ClassifierConfig c = config();
        int per = c.spec().numel();
        int f = c.featureDim();
        float[][] feats = new float[images.size()][];
        Map<String, int[]> preds = new LinkedHashMap<>();
        c.heads().keySet().forEach(h -> preds.put(h, new int[images.size()]));
        int batch = 256;
        for (int from = 0; from < images.size(); from += batch) {
            int b = Math.min(batch, images.size() - from);
            float[] x = new float[b * per];
            for (int j = 0; j < b; j++) {
                ImageU8 img = images.get(from + j);
                if (!c.spec().matches(img)) {
                    throw new IllegalArgumentException("Image " + (from + j) + " is " + img.channels() + "x"
                            + img.height() + "x" + img.width() + ", the classifier expects " + c.spec());
                }
                img.toFloat(x, j * per);
            }
            try (NDManager s = manager.newSubManager()) {
                NDList out = net.forward(new ParameterStore(s, false), new NDList(s.create(x,
                        new Shape(b, c.channels(), c.imageSize(), c.imageSize()))), false);
                float[] fv = out.get(0).toFloatArray();
                for (int j = 0; j < b; j++) {
                    feats[from + j] = java.util.Arrays.copyOfRange(fv, j * f, (j + 1) * f);
                }
                int h = 1;
                for (String head : c.heads().keySet()) {
                    long[] am = out.get(h++).argMax(1).toLongArray();
                    for (int j = 0; j < b; j++) {
                        preds.get(head)[from + j] = (int) am[j];
                    }
                }
            }
        }
        return new Outputs(feats, preds);
    }

    @Override
    public void close() {
        manager.close();
    }
}
