package org.parisjava.infer.released;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.SafeTensors;
import org.parisjava.model.DiT;
import org.parisjava.model.DiTConfig;

/**
 * A real-size random-weight DiT-XL/2 expert (hidden 1152, 28 layers, 16 heads, patch 2, CLIP 77 x 768)
 * written in the released layout (expert_0/config.json with the published keys, F16
 * diffusion_pytorch_model.safetensors, about 1.2 GB) loads through the name table and runs one
 * forward at batch 2. Slow (minutes on a shared 2-core CPU): surefire skips the {@code slow} group;
 * run it with {@code -Dsurefire.excludedGroups= -Dtest=RealSizeExpertTest}.
 */
@Tag("slow")
class RealSizeExpertTest {
    @TempDir
    Path tmp;

    @Test
    void aRealSizeExpertInTheReleasedLayoutLoadsAndRuns() throws Exception {
        DiTConfig xl = DiTConfig.of("DiT-XL/2").withReleasedLayout();
        Path dir = tmp.resolve("expert_0");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 1152, \"num_layers\": 28, \"num_heads\": 16, "
                + "\"patch_size\": 2, \"in_channels\": 4, \"out_channels\": 4, \"mlp_ratio\": 4.0, "
                + "\"text_embed_dim\": 768, \"use_adaln_single\": true, \"cfg_dropout_prob\": 0.1}");
        try (NDManager m = NDManager.newBaseManager()) {
            long stored = 0;
            try (NDManager w = m.newSubManager()) {
                DiT shape = DiT.create(xl);
                shape.setInitializer(Initializer.ZEROS, p -> true);
                shape.initialize(w, DataType.FLOAT32, shape.inputShapes(1));
                Map<String, long[]> names = ReleasedNames.releasedShapes(shape, ReleasedNames.EXPERT, 28, 2, 4);
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, long[]> e : names.entrySet()) {
                    try (NDArray f = w.randomNormal(0f, 0.02f, new Shape(e.getValue()), DataType.FLOAT32)) {
                        tensors.put(e.getKey(), f.toType(DataType.FLOAT16, false));
                    }
                    stored += new Shape(e.getValue()).size();
                }
                SafeTensors.write(dir.resolve("diffusion_pytorch_model.safetensors"), tensors, Map.of());
            }
            DiTConfig read = ParisModel.expertConfig(dir, 32, 77);
            assertEquals(xl, read, "named and sized as the DiT-XL/2 preset");
            assertEquals(xl.parameterCount(), stored, "the released file holds every parameter once");
            assertTrue(stored > 600_000_000L && stored < 700_000_000L, "about 605M+ parameters: " + stored);
            DiT expert = ParisModel.loadExpert(dir, read, m);
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(2, 4, 32, 32));
                NDArray t = step.create(new float[] {0.3f, 0.8f});
                NDArray text = step.randomNormal(new Shape(2, 77, 768));
                NDArray mask = step.ones(new Shape(2, 77));
                NDArray v = expert.forward(new ParameterStore(step, false), new NDList(x, t, text, mask), false)
                        .singletonOrThrow();
                assertEquals(new Shape(2, 4, 32, 32), v.getShape());
                assertTrue(Float.isFinite(v.abs().sum().getFloat()) && v.abs().max().getFloat() > 0);
            }
        }
    }
}
