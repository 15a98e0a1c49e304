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
import java.util.stream.Stream;
import org.parisjava.io.Json;

/**
 * A training checkpoint: one directory {@code step-00000060/} under a checkpoints folder, holding
 *
 * <pre>
 *   model.safetensors       the weights ({@link ParameterNames} paths)
 *   ema.safetensors         the EMA weights (what sampling uses)
 *   optimizer.safetensors   AdamW moments m.NAME and v.NAME; metadata "step"
 *   checkpoint.json         {@link CheckpointInfo}: config, kind, step, seed, data order, loss, file sizes
 * </pre>
 *
 * Written atomically: everything goes to a hidden temporary directory, is fsynced, and the
 * directory is renamed into place; older checkpoints are deleted only after that, keeping the
 * newest {@link #KEEP}. A crash at any moment leaves the previous checkpoint complete.
 */
public final class Checkpoint {
    public static final String MODEL = "model.safetensors";
    public static final String EMA = "ema.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String INFO = "checkpoint.json";
    public static final int KEEP = 2;
    private static final String PREFIX = "step-";

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
            for (String f : List.of(MODEL, EMA, OPTIMIZER)) {
                sizes.put(f, Files.size(tmp.resolve(f)));
            }
            Json.write(tmp.resolve(INFO), info.withFileSizes(sizes));
            fsyncDir(tmp);
            deleteTree(target); // a re-save of the same step (resumed run that crashed after it)
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            fsyncDir(checkpointsDir);
            prune(checkpointsDir);
            return new Checkpoint(target, info.withFileSizes(sizes));
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

    /** The newest complete checkpoint under {@code checkpointsDir}, if any. */
    public static Optional<Checkpoint> latest(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            List<Path> dirs = s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
            for (Path d : dirs) {
                try {
                    return Optional.of(open(d));
                } catch (IllegalArgumentException incomplete) {
                    // skip: an older complete one is still there
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + checkpointsDir, e);
        }
    }

    /** Opens a checkpoint directory, refusing a missing or partial one with the reason. */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No checkpoint at " + dir);
        }
        Path infoFile = dir.resolve(INFO);
        if (!Files.isRegularFile(infoFile)) {
            throw new IllegalArgumentException("Checkpoint " + dir + " is incomplete: missing " + INFO);
        }
        CheckpointInfo info = Json.read(infoFile, CheckpointInfo.class);
        for (String f : List.of(MODEL, EMA, OPTIMIZER)) {
            Path p = dir.resolve(f);
            Long expected = info.fileSizes().get(f);
            try {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("Checkpoint " + dir + " is incomplete: missing " + f);
                }
                if (expected != null && Files.size(p) != expected) {
                    throw new IllegalArgumentException("Checkpoint " + dir + " is damaged: " + f + " has "
                            + Files.size(p) + " bytes, " + INFO + " says " + expected);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + p, e);
            }
        }
        return new Checkpoint(dir, info);
    }

    /** Restores model weights, EMA and optimizer state into already-built objects of the same shapes. */
    public void restore(Block model, Ema ema, AdamW optimizer, NDManager manager) {
        ModelWeights.load(model, dir.resolve(MODEL));
        try (NDManager tmp = manager.newSubManager()) {
            ema.load(SafeTensors.read(dir.resolve(EMA), tmp), info.emaUpdates());
            optimizer.load(SafeTensors.read(dir.resolve(OPTIMIZER), tmp), info.step());
        }
    }

    /** Loads the EMA weights (the ones to sample with) or the raw weights into {@code model}. */
    public void loadWeights(Block model, boolean ema) {
        ModelWeights.load(model, dir.resolve(ema ? EMA : MODEL));
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
