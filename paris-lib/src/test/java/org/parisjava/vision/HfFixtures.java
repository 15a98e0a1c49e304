package org.parisjava.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.parisjava.io.SafeTensors;

/**
 * The tiny Hugging Face folders and reference outputs that scripts/make_hf_vae_fixture.py and
 * scripts/make_hf_dinov2_fixture.py wrote under test resources hf/.
 */
public final class HfFixtures {

    private HfFixtures() {
    }

    /** The folder hf/{name} (tiny-sd-vae, tiny-dinov2). */
    public static Path folder(String name) {
        try {
            return Path.of(HfFixtures.class.getResource("/hf/" + name + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference tensors hf/{name}.reference.safetensors. */
    public static Map<String, NDArray> reference(String name, NDManager manager) {
        return SafeTensors.read(folder(name).resolveSibling(name + ".reference.safetensors"), manager);
    }

    /** The reference numbers hf/{name}.reference.json. */
    public static JsonObject referenceJson(String name) throws IOException {
        return JsonParser.parseString(Files.readString(folder(name).resolveSibling(name + ".reference.json")))
                .getAsJsonObject();
    }

    /** Asserts every value of {@code actual} within {@code tol} of {@code expected}, same shape. */
    public static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= tol, what + ": max |diff| " + worst + " at " + at + " > " + tol);
    }

    /**
     * A copy of folder {@code name} in {@code dir} whose weight file went through {@code edit}
     * (rename, drop, add or reshape tensors).
     */
    public static Path tamperedCopy(String name, Path dir, NDManager manager, Consumer<Map<String, NDArray>> edit)
            throws IOException {
        Path src = folder(name);
        Path dst = dir.resolve(name);
        Files.createDirectories(dst);
        Path weights;
        try (Stream<Path> s = Files.list(src)) {
            weights = s.filter(p -> p.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
        Files.copy(src.resolve("config.json"), dst.resolve("config.json"));
        Map<String, NDArray> tensors = new LinkedHashMap<>(SafeTensors.read(weights, manager));
        edit.accept(tensors);
        SafeTensors.write(dst.resolve(weights.getFileName()), tensors, Map.of("format", "pt"));
        return dst;
    }
}
