package org.parisjava.text;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny TorchScript models and reference outputs that test resources/models/make_tiny_models.py writes. */
public final class TinyModels {

    private TinyModels() {
    }

    public static Path file(String name) {
        try {
            return Path.of(TinyModels.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource models/" + name, e);
        }
    }

    public static JsonObject reference() throws IOException {
        return JsonParser.parseString(Files.readString(file("tiny_reference.json"))).getAsJsonObject();
    }

    public static float[] floats(JsonObject ref, String key) {
        var arr = ref.getAsJsonArray(key);
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).getAsFloat();
        }
        return out;
    }
}
