package org.parisjava.train;

import org.parisjava.io.SafeTensors;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.parisjava.io.Json;
import org.parisjava.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training checkpoint: one directory {@code step-00000060/} under a checkpoints folder, holding
 *
 * <pre>
 *   model.safetensors       the weights ({@link ParameterNames} paths)
 *   ema.safetensors         the EMA weights (what sampling uses)
 *   optimizer.safetensors   AdamW moments m.NAME and v.NAME; metadata "step"
 *   checkpoint.json         {@link CheckpointInfo}: config, kind, step, seed, data order, loss, threads,
 *                           and the byte size and SHA-256 of each tensor file
 * </pre>
 *
 * Written atomically: everything goes to a hidden temporary directory, is fsynced, and the
 * directory is renamed into place; older checkpoints are deleted only after that, keeping the
 * newest {@link #KEEP}. A crash at any moment leaves the previous checkpoint complete.
 *
 * <p>Verified when opened: a missing or short file, or a tensor file whose SHA-256 is not the one
 * checkpoint.json recorded (flipped bits from a failing disk, a file copied in from another run),
 * is refused with a {@link DamagedCheckpointException} naming the file. {@link #latest} then falls
 * back to the newest checkpoint that verifies and logs a warning saying which one was passed over
 * and why. Weights with a NaN or an infinity are refused when loaded, naming the file and tensor.
 */
public final class Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    public static final String MODEL = "model.safetensors";
    public static final String EMA = "ema.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String INFO = "checkpoint.json";
    public static final int KEEP = 2;
    private static final String PREFIX = "step-";
    private static final List<String> TENSOR_FILES = List.of(MODEL, EMA, OPTIMIZER);
    /** Files already verified in this JVM, by path, with the size, time and file key they had then. */
    private static final Map<Path, Verified> VERIFIED = new ConcurrentHashMap<>();
    /** Passed-over checkpoints already warned about, so that repeated lookups warn once. */
    private static final java.util.Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private record Verified(long size, long modified, Object fileKey, String sha256) {
    }

    private final Path dir;
    private final CheckpointInfo info;

    private Checkpoint(Path dir, CheckpointInfo info) {
        this.dir = dir;
        this.info = info;
    }

    public Path dir() {
        return dir;
    }

    public CheckpointInfo info() {
        return info;
    }

    /** Writes a checkpoint of the model, its EMA and its optimizer under {@code checkpointsDir}; returns it. */
    public static Checkpoint save(Path checkpointsDir, CheckpointInfo info, Block model, Ema ema, AdamW optimizer) {
        String name = String.format(Locale.ROOT, "%s%08d", PREFIX, info.step());
        Path target = checkpointsDir.resolve(name);
        Path tmp = checkpointsDir.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(checkpointsDir);
            // where it trained goes to checkpoint.json only: the tensor files stay byte-identical across hosts
            info = info.withTrainedOn(trainedOn(checkpointsDir, info.step(), model));
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, String> meta = Map.of("kind", info.kind(), "step", Long.toString(info.step()),
                    "seed", Long.toString(info.seed()));
            SafeTensors.write(tmp.resolve(MODEL), ModelWeights.of(model), meta);
            SafeTensors.write(tmp.resolve(EMA), ema.tensors(),
                    Map.of("ema_updates", Long.toString(ema.updates()), "decay", Double.toString(ema.decay())));
            SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.state(), Map.of("step", Long.toString(optimizer.step())));
            Map<String, Long> sizes = new LinkedHashMap<>();
            Map<String, String> sums = new LinkedHashMap<>();
            for (String f : TENSOR_FILES) {
                sizes.put(f, Files.size(tmp.resolve(f)));
                // hashed as read back from the file system, so the sum covers what a later load will read
                sums.put(f, Sha256.of(tmp.resolve(f)));
            }
            CheckpointInfo written = info.withFiles(sizes, sums);
            Json.write(tmp.resolve(INFO), written);
            fsyncDir(tmp);
            deleteTree(target); // a re-save of the same step (resumed run that crashed after it)
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            fsyncDir(checkpointsDir);
            prune(checkpointsDir);
            return new Checkpoint(target, written);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + target, e);
        }
    }

    /** Where training ran up to {@code step}: the newest earlier checkpoint's history, extended by this process. */
    private static List<TrainingHost> trainedOn(Path checkpointsDir, long step, Block model) {
        Optional<Checkpoint> before = latest(checkpointsDir).filter(c -> c.info().step() <= step);
        long from = before.map(c -> c.info().step()).orElse(0L);
        List<TrainingHost> history = before.map(c -> c.info().trainedOn()).orElse(List.of());
        String device = ModelWeights.of(model).values().stream().findFirst().map(a -> a.getDevice().toString())
                .orElse("unknown");
        return TrainingHost.extend(history, from, step, device);
    }

    /**
     * What the newest checkpoint under {@code checkpointsDir} says of itself (its checkpoint.json), read without
     * checking its tensor files: for reports (the compute it records, the step it reached) that must not hash
     * gigabytes of weights. A checkpoint.json that cannot be read is passed over for the next older one.
     */
    public static Optional<CheckpointInfo> peekLatestInfo(Path checkpointsDir) {
        List<Path> dirs = newestFirst(checkpointsDir);
        for (Path d : dirs) {
            try {
                CheckpointInfo info = Json.read(d.resolve(INFO), CheckpointInfo.class);
                if (info != null) {
                    return Optional.of(info);
                }
            } catch (RuntimeException unreadable) {
                // an older one may do
            }
        }
        return Optional.empty();
    }

    /** The checkpoint folders under {@code checkpointsDir} (step-XXXXXXXX), newest first; none if it does not exist. */
    private static List<Path> newestFirst(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + checkpointsDir, e);
        }
    }

    /**
     * The newest checkpoint under {@code checkpointsDir} that is complete and verifies, if any. A
     * newer one that does not (partial, damaged, checksum mismatch) is passed over with a warning
     * naming it, the reason and the checkpoint used instead.
     */
    public static Optional<Checkpoint> latest(Path checkpointsDir) {
        List<Path> dirs = newestFirst(checkpointsDir);
        List<String> passedOver = new java.util.ArrayList<>();
        for (Path d : dirs) {
            try {
                Checkpoint c = open(d);
                warnPassedOver(passedOver, "Falling back to " + c.dir().getFileName() + " (step " + c.info().step() + ")");
                return Optional.of(c);
            } catch (IllegalArgumentException unusable) {
                passedOver.add(unusable.getMessage());
            }
        }
        warnPassedOver(passedOver, "No usable checkpoint is left under " + checkpointsDir + "; training starts afresh");
        return Optional.empty();
    }

    private static void warnPassedOver(List<String> passedOver, String outcome) {
        if (passedOver.isEmpty()) {
            return;
        }
        String msg = "Checkpoint passed over: " + String.join("; ", passedOver) + ". " + outcome;
        if (WARNED.add(msg)) {
            LOG.warn(msg);
        }
    }

    /**
     * Opens a checkpoint directory, refusing a missing, partial or damaged one with the reason:
     * every tensor file must exist, have the recorded size and (when recorded) the recorded SHA-256.
     *
     * @throws DamagedCheckpointException naming the file, for a wrong size or checksum
     * @throws IllegalArgumentException   for a missing directory or file
     */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No checkpoint at " + dir);
        }
        Path infoFile = dir.resolve(INFO);
        if (!Files.isRegularFile(infoFile)) {
            throw new IllegalArgumentException("Checkpoint " + dir + " is incomplete: missing " + INFO);
        }
        CheckpointInfo info;
        try {
            info = Json.read(infoFile, CheckpointInfo.class);
        } catch (RuntimeException e) {
            throw new DamagedCheckpointException(dir, INFO, "unreadable (" + e.getMessage() + ")");
        }
        if (info == null) {
            throw new DamagedCheckpointException(dir, INFO, "empty");
        }
        for (String f : TENSOR_FILES) {
            Path p = dir.resolve(f);
            Long expected = info.fileSizes().get(f);
            try {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("Checkpoint " + dir + " is incomplete: missing " + f);
                }
                if (expected != null && Files.size(p) != expected) {
                    throw new DamagedCheckpointException(dir, f, "has " + Files.size(p) + " bytes, " + INFO
                            + " says " + expected);
                }
                String sum = info.sha256().get(f);
                if (sum != null) {
                    String actual = sha256(p);
                    if (!actual.equalsIgnoreCase(sum)) {
                        throw new DamagedCheckpointException(dir, f, "has SHA-256 " + actual + ", " + INFO
                                + " says " + sum + " (flipped bits on disk, or a file from another checkpoint)");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + p, e);
            }
        }
        return new Checkpoint(dir, info);
    }

    /**
     * Restores model weights, EMA and optimizer state into already-built objects of the same shapes.
     *
     * @throws IllegalArgumentException naming the file and tensor if a tensor holds a NaN or an infinity
     */
    public void restore(Block model, Ema ema, AdamW optimizer, NDManager manager) {
        ModelWeights.load(model, dir.resolve(MODEL));
        try (NDManager tmp = manager.newSubManager()) {
            var emaTensors = SafeTensors.read(dir.resolve(EMA), tmp);
            ModelWeights.requireFinite(emaTensors, dir.resolve(EMA));
            var moments = SafeTensors.read(dir.resolve(OPTIMIZER), tmp);
            ModelWeights.requireFinite(moments, dir.resolve(OPTIMIZER));
            ema.load(emaTensors, info.emaUpdates());
            optimizer.load(moments, info.step());
        }
    }

    /** Loads the EMA weights (the ones to sample with) or the raw weights into {@code model}. */
    public void loadWeights(Block model, boolean ema) {
        ModelWeights.load(model, dir.resolve(ema ? EMA : MODEL));
    }

    /** The file's SHA-256, computed once per JVM while its size, modification time and file key stay the same. */
    private static String sha256(Path file) throws IOException {
        var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        Path key = file.toAbsolutePath().normalize();
        Verified v = VERIFIED.get(key);
        long modified = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        if (v != null && v.size() == attrs.size() && v.modified() == modified
                && java.util.Objects.equals(v.fileKey(), attrs.fileKey())) {
            return v.sha256();
        }
        String sum = Sha256.of(file);
        VERIFIED.put(key, new Verified(attrs.size(), modified, attrs.fileKey(), sum));
        return sum;
    }

    private static void prune(Path checkpointsDir) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
        for (int i = KEEP; i < dirs.size(); i++) {
            deleteTree(dirs.get(i));
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some filesystems refuse to open a directory; the files themselves were forced
        }
    }
}
