package org.parisjava.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON for configs, manifests and results: pretty, stable, written atomically. Records are supported. */
public final class Json {
    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            .create();

    private Json() {
    }

    public static Gson gson() {
        return GSON;
    }

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new IllegalArgumentException("Empty JSON file: " + file);
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Missing file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Invalid JSON in " + file + ": " + e.getMessage(), e);
        }
    }
}
