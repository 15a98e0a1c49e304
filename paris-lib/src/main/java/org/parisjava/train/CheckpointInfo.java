package org.parisjava.train;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import org.parisjava.io.Json;
import org.parisjava.run.ComputeThreads;

/**
 * What checkpoint.json says about a checkpoint, so the directory alone tells what it is.
 *
 * @param kind        what was trained: "expert", "monolith", "router"
 * @param configClass the model config record's class name
 * @param config      the model config record as JSON ({@link #config(Class)} reads it back)
 * @param options     the training options record as JSON
 * @param step        optimizer updates done
 * @param seed        the run's seed
 * @param dataOrder   how batches are derived, so that the data order is reproducible
 * @param emaUpdates  updates the EMA has seen
 * @param lastLoss    loss of the last step
 * @param meanLoss    mean loss over the run so far
 * @param timestamp   ISO-8601 time of writing
 * @param fileSizes   byte size of each tensor file, to recognize a partial checkpoint
 * @param sha256      SHA-256 (hex) of each tensor file, to recognize a damaged or mixed-up one;
 *                    empty in checkpoints written before checksums were recorded
 * @param threads     the threading of the process that trained up to this step (results depend on it);
 *                    null in older checkpoints
 * @param trainedOn   where the steps up to this one ran, one entry per stretch (host, device, JDK,
 *                    Slurm job); filled in by {@link Checkpoint#save}
 * @param cpuSeconds  CPU seconds (every thread of the training process, native ones included) spent on the steps
 *                    up to this one, summed over every stretch; what the run's compute accounting adds up, since
 *                    models of one run may train side by side; 0 when unknown: in checkpoints written before it was
 *                    recorded, and in those of a run resumed from one
 * @param wallSeconds wall-clock seconds of the training loop up to this step, summed over every stretch; 0 in
 *                    checkpoints written before it was recorded
 */
public record CheckpointInfo(String kind, String configClass, JsonElement config, JsonElement options, long step,
                             long seed, String dataOrder, long emaUpdates, double lastLoss, double meanLoss,
                             String timestamp, Map<String, Long> fileSizes, Map<String, String> sha256,
                             ComputeThreads threads, List<TrainingHost> trainedOn, double cpuSeconds,
                             double wallSeconds) {

    public CheckpointInfo {
        if (step < 0) {
            throw new IllegalArgumentException("Invalid checkpoint step: " + step);
        }
        if (!(cpuSeconds >= 0) || !(wallSeconds >= 0)) {
            throw new IllegalArgumentException("Invalid compute seconds: cpu " + cpuSeconds + ", wall " + wallSeconds);
        }
        fileSizes = fileSizes == null ? Map.of() : Map.copyOf(fileSizes);
        sha256 = sha256 == null ? Map.of() : Map.copyOf(sha256);
        trainedOn = trainedOn == null ? List.of() : List.copyOf(trainedOn);
    }

    /** What a trainer knows before saving; the checksums are added by {@link Checkpoint#save}, the threads are this process's. */
    public CheckpointInfo(String kind, String configClass, JsonElement config, JsonElement options, long step,
                          long seed, String dataOrder, long emaUpdates, double lastLoss, double meanLoss,
                          String timestamp, Map<String, Long> fileSizes) {
        this(kind, configClass, config, options, step, seed, dataOrder, emaUpdates, lastLoss, meanLoss, timestamp,
                fileSizes, Map.of(), ComputeThreads.current(), List.of(), 0, 0);
    }

    /** Reads the config record back. */
    public <T> T config(Class<T> type) {
        return Json.gson().fromJson(config, type);
    }

    public <T> T options(Class<T> type) {
        return Json.gson().fromJson(options, type);
    }

    CheckpointInfo withFiles(Map<String, Long> sizes, Map<String, String> checksums) {
        return new CheckpointInfo(kind, configClass, config, options, step, seed, dataOrder, emaUpdates, lastLoss,
                meanLoss, timestamp, sizes, checksums, threads, trainedOn, cpuSeconds, wallSeconds);
    }

    CheckpointInfo withTrainedOn(List<TrainingHost> hosts) {
        return new CheckpointInfo(kind, configClass, config, options, step, seed, dataOrder, emaUpdates, lastLoss,
                meanLoss, timestamp, fileSizes, sha256, threads, hosts, cpuSeconds, wallSeconds);
    }

    /** This info with the training's CPU and wall seconds up to its step ({@link #cpuSeconds()}). */
    public CheckpointInfo withCompute(double cpu, double wall) {
        return new CheckpointInfo(kind, configClass, config, options, step, seed, dataOrder, emaUpdates, lastLoss,
                meanLoss, timestamp, fileSizes, sha256, threads, trainedOn, Math.round(cpu * 1000) / 1000.0,
                Math.round(wall * 1000) / 1000.0);
    }

    /** The last stretch's host, or null for a checkpoint written before hosts were recorded. */
    public TrainingHost lastHost() {
        return trainedOn.isEmpty() ? null : trainedOn.get(trainedOn.size() - 1);
    }
}
