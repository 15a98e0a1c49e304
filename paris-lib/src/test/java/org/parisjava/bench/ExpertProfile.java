package org.parisjava.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;
import org.parisjava.text.HashedTokenEncoder;
import org.parisjava.text.TextBatch;

/**
 * Writes a libtorch profiler trace (chrome://tracing JSON) of a few DJL training and sampling steps
 * of a DiT preset, to see where the time goes: bench/profile_summary.py sums it per operator.
 * Arguments: output file, preset (demo), batch (64), steps (3).
 */
public final class ExpertProfile {

    private ExpertProfile() {
    }

    public static void main(String[] args) {
        String out = args[0];
        DiTConfig c = DiTConfig.of(args.length > 1 ? args[1] : "demo");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Engine.getInstance().setRandomSeed(0);
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiT.create(c);
            dit.initialize(m, DataType.FLOAT32, dit.inputShapes(batch));
            List<String> caps = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                caps.add("a small red circle " + i);
            }
            TextBatch text = new HashedTokenEncoder(c.textDim(), c.textTokens()).encode(caps, m);
            NDArray images = m.randomUniform(-1f, 1f, new Shape(batch, c.inChannels(), c.imageSize(), c.imageSize()));
            Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
            Map<String, Parameter> params = org.parisjava.train.ParameterNames.of(dit);
            ParameterStore ps = new ParameterStore(m, false);
            ExpertSpeedBenchmark.trainSteps(dit, ps, adamW, params, images, text, 2);
            ExpertSpeedBenchmark.sampleSteps(dit, ps, images, text, 2);
            System.out.println("grad mode outside a collector: " + JniUtils.isGradMode());
            JniUtils.startProfile(false, Boolean.getBoolean("profile.shapes"), false);
            double tt = ExpertSpeedBenchmark.trainSteps(dit, ps, adamW, params, images, text, steps);
            double ts = ExpertSpeedBenchmark.sampleSteps(dit, ps, images, text, steps);
            JniUtils.stopProfile(out);
            System.out.printf("train %.3f s/step, sample %.3f s/step%n", tt / steps, ts / steps);
        }
    }
}
