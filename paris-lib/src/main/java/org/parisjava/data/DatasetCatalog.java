package org.parisjava.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.parisjava.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's dataset catalogue: every {@code *.json} descriptor in the top-level
 * {@code datasets/} folder (see {@link CatalogEntry}), with where each one is on this machine and
 * whether its files verify.
 *
 * <p>Locations may use three variables: {@code ${PARIS_HOME}} (the project folder, for the small
 * samples it ships), {@code ${PARIS_DATA}} (the user's data folder: the {@value #DATA_ENV}
 * environment variable, else {@code ~/.paris/data}) and {@code ${HF_HUB}} (the Hugging Face hub
 * cache: {@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}).
 */
public final class DatasetCatalog {
    /** Environment variable naming the user's data folder. */
    public static final String DATA_ENV = "PARIS_DATA";
    /** Environment variable (and system property {@code paris.home}) naming the project folder. */
    public static final String HOME_ENV = "PARIS_HOME";
    /** The catalogue's folder inside the project. */
    public static final String FOLDER = "datasets";

    private static final Logger LOG = LoggerFactory.getLogger(DatasetCatalog.class);

    private final Path folder;
    private final Map<String, CatalogEntry> entries;
    private final Map<String, String> vars;

    private DatasetCatalog(Path folder, Map<String, CatalogEntry> entries, Map<String, String> vars) {
        this.folder = folder;
        this.entries = entries;
        this.vars = vars;
    }

    /** Whether an entry is on this machine. */
    public enum Status {
        /** Made by the project's code: nothing to obtain. */
        GENERATED,
        /** Every expected file is at {@link Presence#dir()}. */
        PRESENT,
        /** A location exists but some expected files are not there. */
        INCOMPLETE,
        /** No location exists. */
        MISSING
    }

    /**
     * Where an entry was found.
     *
     * @param status  see {@link Status}
     * @param dir     the location used (present or incomplete), else null
     * @param missing expected files absent from {@code dir}
     * @param looked  every location tried, in order
     */
    public record Presence(Status status, Path dir, List<String> missing, List<Path> looked) {
        public boolean usable() {
            return status == Status.GENERATED || status == Status.PRESENT;
        }
    }

    /**
     * One file's verification.
     *
     * @param path   relative to the entry's location
     * @param ok     true when present with the recorded size and checksum
     * @param detail "ok", "missing", or what differs
     */
    public record FileCheck(String path, boolean ok, String detail) {
    }

    /**
     * Loads every descriptor of a catalogue folder.
     *
     * @param folder the {@code datasets/} folder
     * @param vars   values of {@code PARIS_HOME}, {@code PARIS_DATA} and {@code HF_HUB}
     * @throws IllegalArgumentException naming the file for an unreadable descriptor, a name that is
     *                                  not its file's, or a folder that does not exist
     */
    public static DatasetCatalog load(Path folder, Map<String, String> vars) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Dataset catalogue folder not found: " + folder);
        }
        Map<String, CatalogEntry> entries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                CatalogEntry e;
                try {
                    e = Json.read(f, CatalogEntry.class);
                } catch (RuntimeException ex) {
                    // Gson wraps what the record's constructor throws: report the innermost reason
                    Throwable cause = ex;
                    while (cause.getCause() != null && cause.getCause() != cause) {
                        cause = cause.getCause();
                    }
                    throw new IllegalArgumentException("Invalid dataset descriptor " + f + ": " + cause.getMessage(), ex);
                }
                String base = f.getFileName().toString().replaceFirst("\\.json$", "");
                if (!base.equals(e.name())) {
                    throw new IllegalArgumentException("Dataset descriptor " + f + " names itself '" + e.name()
                            + "'; the name must be the file's base name '" + base + "'");
                }
                entries.put(e.name(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the dataset catalogue " + folder, e);
        }
        return new DatasetCatalog(folder, entries, Map.copyOf(vars));
    }

    /**
     * The catalogue of this installation: {@code datasets/} in the project folder found by
     * {@link #projectHome()}, with the variables taken from the environment.
     *
     * @throws IllegalStateException when no project folder with a catalogue can be found
     */
    public static DatasetCatalog standard() {
        Path home = projectHome().orElseThrow(() -> new IllegalStateException(
                "Cannot find the project's " + FOLDER + "/ catalogue: set " + HOME_ENV
                        + " to the project folder (the ./paris launcher does)"));
        return load(home.resolve(FOLDER), standardVars(home));
    }

    /**
     * The project folder: the system property {@code paris.home}, the {@value #HOME_ENV}
     * environment variable, the system property {@code paris.repo} (set by the build for tests),
     * else the nearest parent of the working directory that holds {@code pom.xml} and
     * {@code datasets/}.
     */
    public static Optional<Path> projectHome() {
        for (String candidate : new String[] {System.getProperty("paris.home"), System.getenv(HOME_ENV),
                System.getProperty("paris.repo")}) {
            if (candidate != null && !candidate.isBlank() && Files.isDirectory(Path.of(candidate, FOLDER))) {
                return Optional.of(Path.of(candidate).toAbsolutePath().normalize());
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve(FOLDER))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code PARIS_HOME}, {@code PARIS_DATA} and {@code HF_HUB} from the environment. */
    public static Map<String, String> standardVars(Path home) {
        String user = System.getProperty("user.home");
        String data = System.getenv(DATA_ENV);
        if (data == null || data.isBlank()) {
            data = Path.of(user, ".paris", "data").toString();
        }
        String hub = System.getenv("HF_HUB_CACHE");
        if (hub == null || hub.isBlank()) {
            String hfHome = System.getenv("HF_HOME");
            hub = hfHome != null && !hfHome.isBlank() ? Path.of(hfHome, "hub").toString()
                    : Path.of(user, ".cache", "huggingface", "hub").toString();
        }
        return Map.of("PARIS_HOME", home.toString(), "PARIS_DATA", data, "HF_HUB", hub);
    }

    public Path folder() {
        return folder;
    }

    /** Every entry, sorted by name. */
    public List<CatalogEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<CatalogEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** The entry named {@code name}; the error lists the catalogue's names. */
    public CatalogEntry require(String name) {
        CatalogEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("No dataset named '" + name + "' in the catalogue " + folder
                    + " (known: " + String.join(", ", entries.keySet()) + ")");
        }
        return e;
    }

    /** Where {@code entry} is on this machine: the first location holding all its files. */
    public Presence locate(CatalogEntry entry) {
        if (entry.generated()) {
            return new Presence(Status.GENERATED, null, List.of(), List.of());
        }
        List<Path> looked = new ArrayList<>();
        Path bestDir = null;
        List<String> bestMissing = null;
        for (String location : entry.locations()) {
            for (Path dir : expand(location)) {
                looked.add(dir);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                List<String> missing = entry.files().stream()
                        .map(CatalogEntry.FileEntry::path)
                        .filter(p -> !Files.isRegularFile(dir.resolve(p)))
                        .toList();
                if (missing.isEmpty()) {
                    return new Presence(Status.PRESENT, dir, List.of(), looked);
                }
                if (bestMissing == null || missing.size() < bestMissing.size()) {
                    bestDir = dir;
                    bestMissing = missing;
                }
            }
        }
        return bestDir == null ? new Presence(Status.MISSING, null, List.of(), looked)
                : new Presence(Status.INCOMPLETE, bestDir, bestMissing, looked);
    }

    /**
     * Verifies every expected file of an entry at its location: presence, then size and SHA-256
     * where the descriptor records them.
     *
     * @throws IllegalArgumentException when the entry is not on this machine (the message says how
     *                                  to obtain it)
     */
    public List<FileCheck> check(CatalogEntry entry) {
        Presence p = locate(entry);
        if (p.status() == Status.GENERATED) {
            return List.of();
        }
        if (p.status() == Status.MISSING) {
            throw notHere(entry, p);
        }
        List<FileCheck> out = new ArrayList<>();
        for (CatalogEntry.FileEntry f : entry.files()) {
            Path file = p.dir().resolve(f.path());
            out.add(checkFile(f, file));
        }
        return out;
    }

    private static FileCheck checkFile(CatalogEntry.FileEntry f, Path file) {
        if (!Files.isRegularFile(file)) {
            return new FileCheck(f.path(), false, "missing");
        }
        try {
            long size = Files.size(file);
            if (f.bytes() != null && size != f.bytes()) {
                return new FileCheck(f.path(), false, "size " + size + " bytes, expected " + f.bytes());
            }
            if (f.sha256() != null) {
                String actual = sha256(file);
                if (!actual.equals(f.sha256())) {
                    return new FileCheck(f.path(), false, "sha256 " + actual + ", expected " + f.sha256());
                }
                return new FileCheck(f.path(), true, "ok (sha256)");
            }
            return new FileCheck(f.path(), true, "ok (present; checksum not fixed)");
        } catch (IOException e) {
            return new FileCheck(f.path(), false, "unreadable: " + e.getMessage());
        }
    }

    /**
     * The {@code --dataset} spec that opens catalogue dataset {@code name} where it is on this
     * machine.
     *
     * @throws IllegalArgumentException when it is a model folder, or is not on this machine (the
     *                                  message lists where it looked and how to obtain it)
     */
    public String datasetSpec(String name) {
        CatalogEntry e = require(name);
        if (e.kind() != CatalogEntry.Kind.DATASET) {
            throw new IllegalArgumentException("'" + name + "' is a model folder, not a dataset: use it as "
                    + e.use().replace("${dir}", "DIR") + " (see `paris datasets`)");
        }
        Presence p = locate(e);
        if (!p.usable()) {
            throw notHere(e, p);
        }
        String spec = e.useAt(p.dir() == null ? "" : p.dir().toString());
        LOG.info("dataset {} resolved through the catalogue to {}", name, spec);
        return spec;
    }

    /** The error for an entry that is not (wholly) on this machine, with how to obtain it. */
    public IllegalArgumentException notHere(CatalogEntry e, Presence p) {
        StringBuilder sb = new StringBuilder();
        if (p.status() == Status.INCOMPLETE) {
            sb.append("'").append(e.name()).append("' is incomplete at ").append(p.dir()).append(": missing ")
                    .append(String.join(", ", p.missing()));
        } else {
            sb.append("'").append(e.name()).append("' (").append(e.title()).append(") is not on this machine");
            if (!p.looked().isEmpty()) {
                sb.append("; looked in ");
                sb.append(String.join(", ", p.looked().stream().map(Path::toString).toList()));
            }
        }
        sb.append(".\nTo obtain it (").append(e.licence()).append("):\n").append(e.howToObtain());
        return new IllegalArgumentException(sb.toString());
    }

    /** The folders a location string stands for, variables expanded, a trailing {@code *} listed. */
    List<Path> expand(String location) {
        String s = location;
        for (var v : vars.entrySet()) {
            s = s.replace("${" + v.getKey() + "}", v.getValue());
        }
        if (s.contains("${")) {
            throw new IllegalArgumentException("Unknown variable in dataset location '" + location
                    + "' (known: ${PARIS_HOME}, ${PARIS_DATA}, ${HF_HUB})");
        }
        if (!s.endsWith("/*")) {
            return List.of(Path.of(s));
        }
        Path parent = Path.of(s.substring(0, s.length() - 2));
        if (!Files.isDirectory(parent)) {
            return List.of(parent);
        }
        try (Stream<Path> children = Files.list(parent)) {
            // newest snapshot first
            return children.filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path c) -> c.toFile().lastModified()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + parent, e);
        }
    }

    /** The SHA-256 of a file in lower-case hex, streamed. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The descriptor file of an entry, for messages. */
    public Path descriptor(CatalogEntry e) {
        return folder.resolve(e.name() + ".json");
    }

    @Override
    public String toString() {
        return "DatasetCatalog[" + folder + ", " + entries.size() + " entries]";
    }
}
