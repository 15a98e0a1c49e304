package org.parisjava.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parisjava.io.AtomicFiles;

/**
 * loss.csv: {@code step,loss,lr,images_per_s}, one row per logged step, flushed as it goes. On
 * resume, rows past the checkpoint's step (written after it by the interrupted run) are dropped
 * first, so the file reads like one uninterrupted run.
 */
public final class LossLog implements AutoCloseable {
    public static final String FILE = "loss.csv";
    static final String HEADER = "step,loss,lr,images_per_s";
    private final BufferedWriter out;

    private LossLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens {@code dir/loss.csv}, keeping only rows with step <= {@code keepThrough}. */
    public static LossLog open(Path dir, long keepThrough) {
        Path f = dir.resolve(FILE);
        try {
            List<String> keep = new ArrayList<>();
            keep.add(HEADER);
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("step")) {
                        continue;
                    }
                    if (Long.parseLong(line.substring(0, line.indexOf(','))) <= keepThrough) {
                        keep.add(line);
                    }
                }
            }
            AtomicFiles.writeString(f, String.join("\n", keep) + "\n");
            return new LossLog(Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot open loss log " + f + ": " + e.getMessage(), e);
        }
    }

    public void row(long step, double loss, double lr, double imagesPerSecond) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.2f%n", step, loss, lr, imagesPerSecond));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + FILE, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
