package org.parisjava.kernel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.run.Preset;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * What every experiment notebook starts from, in one call: the scale from {@code PARIS_SCALE}
 * (a {@link Preset} name; default {@value #DEFAULT_SCALE}), the run folder from {@code PARIS_RUN_DIR}
 * (default {@code ../runs/<scale>}, where {@code ./paris reproduce} writes, seen from notebooks/),
 * the dataset from {@code PARIS_DATASET} (a name of the project's dataset catalogue, see
 * {@code paris datasets}, or any {@code --dataset} spec; default the preset's), the folder of a seeds
 * sweep from {@code PARIS_SEEDS_DIR} (default the run folder: {@code ./paris reproduce --seeds N --out DIR}
 * writes {@code DIR/seed-S}), seed {@value #SEED}, the reproduction's options and a progress bar. The tests run the notebooks with
 * {@code PARIS_SCALE=smoke} and a temporary run folder.
 *
 * @param preset   the scale
 * @param seed     seeds the data, the clustering, every model and the sampling noise
 * @param runDir   the run folder
 * @param seedsDir the root of a seeds sweep ({@link org.parisjava.reproduce.SeedSweep}): seed S in
 *                 {@code seedsDir/seed-S}
 * @param options  the reproduction's options: the preset's settings and the paper's five strategies
 * @param progress where long calls report progress (a bar in the notebook)
 */
public record NotebookRun(Preset preset, long seed, Path runDir, Path seedsDir, Reproduction.Options options,
                          ProgressListener progress) {
    public static final String SCALE_VARIABLE = "PARIS_SCALE";
    public static final String RUN_DIR_VARIABLE = "PARIS_RUN_DIR";
    public static final String DATASET_VARIABLE = "PARIS_DATASET";
    public static final String SEEDS_DIR_VARIABLE = "PARIS_SEEDS_DIR";
    public static final String DEFAULT_SCALE = "demo";
    public static final long SEED = 42;

    /** From the kernel's environment, with a progress bar in the running notebook. */
    public static NotebookRun fromEnvironment() {
        return of(System.getenv(), NotebookProgress.create());
    }

    /**
     * From {@code env} (the variables above).
     *
     * @throws IllegalArgumentException for a scale that is not a preset, listing the known ones
     */
    public static NotebookRun of(Map<String, String> env, ProgressListener progress) {
        String scale = env.getOrDefault(SCALE_VARIABLE, DEFAULT_SCALE);
        Path runDir = Path.of(env.getOrDefault(RUN_DIR_VARIABLE, "../runs/" + scale));
        Preset preset = Preset.of(scale);
        Reproduction.Options options = Reproduction.Options.of(preset, SEED);
        String dataset = env.get(DATASET_VARIABLE);
        if (dataset != null && !dataset.isBlank()) {
            options = options.withDataset(dataset.strip());
        }
        String seeds = env.get(SEEDS_DIR_VARIABLE);
        Path seedsDir = seeds == null || seeds.isBlank() ? runDir : Path.of(seeds.strip());
        return new NotebookRun(preset, SEED, runDir, seedsDir, options, progress);
    }

    /** The run folder's layout. */
    public RunLayout run() {
        return new RunLayout(runDir);
    }

    /** K, the number of experts. */
    public int clusters() {
        return preset.coarseClusters();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "preset %s: K = %d experts, dataset %s, run folder %s", preset.name(), clusters(),
                options.datasetSpec(), runDir);
    }
}
