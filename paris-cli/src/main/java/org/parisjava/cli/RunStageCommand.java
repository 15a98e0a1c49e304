package org.parisjava.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.reproduce.ResultsSummary;
import org.parisjava.reproduce.RunManifest;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;
import org.parisjava.run.RunLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code paris run-stage}: one stage of a run with the settings of its run.json, as {@code paris reproduce}
 * runs it; what each job written by {@code paris submit} calls, so that no job repeats (or forgets) a setting.
 */
@Command(name = "run-stage", mixinStandardHelpOptions = true,
        description = {"Run (or resume) one stage of a run with the settings of its run.json.",
                "Every setting (text encoder, latent codec, features, router, evaluation features, device) comes",
                "from run.json, and the stage runs as paris reproduce runs it. The jobs of paris submit call it.",
                "A complete stage exits at once."})
final class RunStageCommand implements Callable<Integer> {
    /** The stages one job runs; evaluate is the classifier, the strategies and the figures. */
    static final List<String> STAGES = List.of("cluster", "experts", "monolith", "router", "classifier", "evaluate",
            "figures");

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run folder with its run.json")
    Path run;

    @Parameters(index = "0", paramLabel = "STAGE",
            description = "cluster, experts, monolith, router, classifier, evaluate (the evaluation classifier, every"
                    + " strategy, then the figures) or figures")
    String stage;

    @Option(names = "--cluster", paramLabel = "K", description = "with experts: train expert K only (one job array task)")
    Integer cluster;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads for this process (default: DJL's)")
    Integer threads;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N", description = "device (default: run.json's, else cpu)")
    String device;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        RunLayout layout = new RunLayout(run);
        String s = stage.toLowerCase(Locale.ROOT);
        if (!STAGES.contains(s)) {
            throw new IllegalArgumentException("Unknown stage '" + stage + "'; known: " + String.join(", ", STAGES));
        }
        if (cluster != null && !s.equals("experts")) {
            throw new IllegalArgumentException("--cluster names an expert: give it with the stage experts, not " + s);
        }
        RunManifest.RecordedDevice recorded = RunManifest.recordedDevice(layout); // also: no run.json, refused here
        if (threads != null) { // before the engine starts
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        ComputeDevice.select(device != null ? device : recorded.device(), Precision.parse(recorded.precision()));
        TerminalProgress progress = new TerminalProgress(System.err);
        long t0 = System.nanoTime();
        if (cluster != null) {
            boolean ran = Reproduction.runExpert(layout, cluster, progress);
            o.printf(Locale.ROOT, "expert %d of %s: %s%n", cluster, layout.root(),
                    ran ? String.format(Locale.ROOT, "trained in %.1f s", (System.nanoTime() - t0) / 1e9)
                            : "already trained, nothing to do");
            return 0;
        }
        List<Reproduction.Stage> todo = s.equals("evaluate")
                ? List.of(Reproduction.Stage.CLASSIFIER, Reproduction.Stage.EVALUATE, Reproduction.Stage.FIGURES)
                : List.of(Reproduction.Stage.valueOf(s.toUpperCase(Locale.ROOT)));
        for (Reproduction.Stage st : todo) {
            long t = System.nanoTime();
            boolean ran = Reproduction.runStage(layout, st, progress);
            o.printf(Locale.ROOT, "stage %s of %s: %s%n", st.label(), layout.root(),
                    ran ? String.format(Locale.ROOT, "done in %.1f s", (System.nanoTime() - t) / 1e9)
                            : "already complete, nothing to do");
        }
        if (todo.contains(Reproduction.Stage.FIGURES)) { // what paris reproduce prints at the end
            ResultsSummary summary = Reproduction.summary(layout);
            o.println();
            o.println(summary.table().toMarkdown());
            o.println(summary.statement());
            o.println("figures and results in " + layout.figuresDir());
        }
        return 0;
    }
}
