package org.parisjava.data;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Objects;

/**
 * One descriptor of the project's dataset catalogue: a {@code datasets/NAME.json} file beside the
 * project's pom.xml. It says what a dataset (or a frozen-model folder of the paper path) is, where
 * it comes from, its licence, how to obtain it, which files it must hold (with SHA-256 checksums
 * where the files are fixed) and how a command uses it.
 *
 * @param name        the catalogue name, also the file's base name ({@code fashion-mnist})
 * @param title       a human title
 * @param kind        {@link Kind#DATASET} (image-caption pairs, usable as {@code --dataset NAME}) or
 *                    {@link Kind#MODEL} (a frozen network's folder, used through an option)
 * @param description what it holds, in a sentence or two
 * @param source      where it comes from (a URL)
 * @param licence     its licence, as its authors state it
 * @param size        how big it is, in words (images, bytes)
 * @param obtain      the steps that put it on a machine, one command or sentence each
 * @param fetch       how {@code paris datasets fetch} can obtain it by itself: {@code apt:PACKAGE}
 *                    or {@code huggingface:OWNER/NAME}; null when it cannot
 * @param locations   where to look for it, first match wins; {@code ${PARIS_HOME}} (the project),
 *                    {@code ${PARIS_DATA}} (the user's data folder) and {@code ${HF_HUB}} (the Hugging
 *                    Face hub cache) are expanded, and a last path element {@code *} matches any
 *                    sub-folder (a hub snapshot)
 * @param files       the files it must hold, relative to its location; empty for generated data
 * @param use         how a command uses it, with {@code ${dir}} standing for its location: a
 *                    {@code --dataset} spec for datasets ({@code folder:${dir}}), an option for
 *                    models ({@code --text hf:${dir}})
 */
public record CatalogEntry(String name, String title, Kind kind, String description, String source, String licence,
                           String size, List<String> obtain, String fetch, List<String> locations,
                           List<FileEntry> files, String use) {

    /** What kind of thing a catalogue entry describes. */
    public enum Kind {
        /** Image-caption pairs: {@code --dataset NAME} opens it. */
        @SerializedName("dataset") DATASET,
        /** A frozen network's weights folder (Hugging Face layout), passed to an option. */
        @SerializedName("model") MODEL
    }

    /**
     * One file an entry must hold.
     *
     * @param path   relative to the entry's location, '/'-separated
     * @param bytes  its size in bytes, or null when it is not fixed
     * @param sha256 its SHA-256 in lower-case hex, or null when it is not fixed (then only presence
     *               is checked)
     */
    public record FileEntry(String path, Long bytes, String sha256) {
        public FileEntry {
            Objects.requireNonNull(path, "path");
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("Invalid sha256 for " + path + ": '" + sha256
                        + "' (expected 64 lower-case hex digits)");
            }
        }
    }

    public CatalogEntry {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("Invalid catalogue name: '" + name
                    + "' (expected lower-case letters, digits, '.', '_' or '-')");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(use, "use");
        obtain = obtain == null ? List.of() : List.copyOf(obtain);
        locations = locations == null ? List.of() : List.copyOf(locations);
        files = files == null ? List.of() : List.copyOf(files);
        if (fetch != null && !fetch.startsWith("apt:") && !fetch.startsWith("huggingface:")) {
            throw new IllegalArgumentException("Invalid fetch for " + name + ": '" + fetch
                    + "' (expected apt:PACKAGE or huggingface:OWNER/NAME)");
        }
    }

    /** True for data the project generates itself (no location, no files): always present. */
    public boolean generated() {
        return locations.isEmpty() && files.isEmpty();
    }

    /** {@link #use()} with {@code ${dir}} replaced by {@code dir}. */
    public String useAt(String dir) {
        return use.replace("${dir}", dir);
    }

    /** The {@code obtain} steps as one indented block, for error messages and the CLI. */
    public String howToObtain() {
        if (obtain.isEmpty()) {
            return "  (no way to obtain it is recorded)";
        }
        StringBuilder sb = new StringBuilder();
        for (String step : obtain) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("  ").append(step);
        }
        return sb.toString();
    }
}
