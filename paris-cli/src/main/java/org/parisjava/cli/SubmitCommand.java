package org.parisjava.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.infer.RoutingStrategy;
import org.parisjava.reproduce.Reproduction;
import org.parisjava.reproduce.RunManifest;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;
import org.parisjava.sched.ResourceRules;
import org.parisjava.sched.Slurm;
import org.parisjava.sched.SlurmJob;
import org.parisjava.sched.SlurmPipeline;
import org.parisjava.sched.SlurmResources;
import org.parisjava.sched.SlurmSubmission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paris submit}: the whole reproduction as Slurm jobs calling this CLI, on a shared run folder. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit the reproduction to a batch scheduler (Slurm) as jobs.",
                "Clustering, the K experts as one job array, the monolith, the router, then evaluation and figures",
                "(afterok). The scripts are written to RUN/slurm/ to read or reuse; only unfinished stages and",
                "experts are submitted."})
final class SubmitCommand implements Callable<Integer> {
    @Option(names = "--scheduler", defaultValue = "slurm", description = "batch scheduler: slurm (default: ${DEFAULT-VALUE})")
    String scheduler;

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "run folder, on a filesystem every node sees (made absolute)")
    Path run;

    @Option(names = "--preset", description = "scale of a new run (default: run.json's, else demo)",
            completionCandidates = ClusterCommand.PresetNames.class)
    String preset;

    @Option(names = "--seed", description = "seed of a new run (default: run.json's, else 42)")
    Long seed;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "dataset spec (default: the preset's)")
    String dataset;

    @Option(names = "--features", paramLabel = "pca|model:PATH", description = "clustering features (default: pca)")
    String features;

    @Option(names = "--text", paramLabel = "hashed|hf:PATH",
            description = "text encoder of a new run, as paris reproduce --text (default: run.json's, else hashed)")
    String text;

    @Option(names = "--latent", paramLabel = "identity|hf:PATH",
            description = "latent space of a new run, as paris reproduce --latent (default: run.json's, else identity)")
    String latent;

    @Option(names = "--eval-features", paramLabel = "auto|classifier|inception:PATH|hf:PATH|model:PATH",
            description = "feature space of the quality metrics, as paris reproduce --eval-features"
                    + " (default: run.json's, else auto)")
    String evalFeatures;

    @Option(names = "--router", paramLabel = "text-blind|text-aware|both",
            description = "router, as paris reproduce --router; both may be added to a text-blind run"
                    + " (default: run.json's, else text-blind)")
    String router;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N",
            description = "device every job computes on, recorded in run.json (the login node need not have it;"
                    + " ask Slurm for it with --gres) (default: run.json's, else cpu)")
    String device;

    @Option(names = "--eval-images", paramLabel = "N", description = "generated images per strategy (default: the preset's)")
    Integer evalImages;

    @Option(names = "--strategies", split = ",", paramLabel = "S", description = "strategies to compare")
    List<String> strategies;

    @Option(names = "--parallel", defaultValue = "0", paramLabel = "P",
            description = "experts running at once, the array's %%P (default: 0 = as many as Slurm allows)")
    int parallel;

    @Option(names = "--partition", description = "partition of every job (rules may override per stage or expert)")
    String partition;

    @Option(names = "--account", description = "account of every job")
    String account;

    @Option(names = "--qos", description = "QOS of every job")
    String qos;

    @Option(names = "--gres", description = "generic resources of every job, e.g. gpu:1")
    String gres;

    @Option(names = "--cpus", description = "CPUs per task (threads follow it; default: 2)")
    Integer cpus;

    @Option(names = "--mem", description = "memory per job, e.g. 8G (default: 8G)")
    String mem;

    @Option(names = "--time", description = "time limit of every job, e.g. 04:00:00")
    String time;

    @Option(names = "--sbatch-option", paramLabel = "OPT", description = "one more sbatch option for every job (repeatable)")
    List<String> sbatchOptions = new ArrayList<>();

    @Option(names = "--resource", paramLabel = "SCOPE.FIELD=VALUE",
            description = {"a resource rule, as in the resources file (repeatable), e.g.",
                    "'experts[4-7].partition=v100', 'router.time=01:00:00', 'evaluate.mem=16G'"})
    List<String> resourceRules = new ArrayList<>();

    @Option(names = "--resources", paramLabel = "FILE", description = "resource rules file (default: RUN/slurm/resources.conf if present)")
    Path resourcesFile;

    @Option(names = "--paris-command", paramLabel = "CMD",
            description = "shell words that start the paris CLI on the compute nodes (default: this installation's launcher,"
                    + " or this java and classpath)")
    String parisCommand;

    @Option(names = "--dry-run", description = "write run.json and the scripts, submit nothing")
    boolean dryRun;

    @Option(names = "--hold", description = "submit the jobs held (start them with scontrol release)")
    boolean hold;

    @Override
    public Integer call() {
        if (!scheduler.toLowerCase(Locale.ROOT).equals("slurm")) {
            throw new IllegalArgumentException("Unknown --scheduler '" + scheduler + "'; supported: slurm");
        }
        PrintStream o = System.out;
        RunLayout layout = new RunLayout(run.toAbsolutePath().normalize());
        Reproduction.Options opts = options(layout);
        String deviceSpec = device == null ? null : ComputeDevice.checkSpec(device);
        // the whole run is checked as paris reproduce checks it (every missing model folder, the dataset,
        // each stage's settings), before run.json or any script is written
        Reproduction.validate(layout, opts);

        ResourceRules rules = new ResourceRules();
        Path file = resourcesFile != null ? resourcesFile
                : SlurmPipeline.slurmDir(layout).resolve(SlurmPipeline.RESOURCES);
        if (resourcesFile != null && !Files.isRegularFile(resourcesFile)) {
            throw new IllegalArgumentException("No resources file " + resourcesFile);
        }
        rules.addFile(file);
        shorthand(rules, "partition", partition);
        shorthand(rules, "account", account);
        shorthand(rules, "qos", qos);
        shorthand(rules, "gres", gres);
        shorthand(rules, "cpus", cpus == null ? null : cpus.toString());
        shorthand(rules, "mem", mem);
        shorthand(rules, "time", time);
        for (String e : sbatchOptions) {
            rules.add("default.extra=" + e, "--sbatch-option");
        }
        for (String r : resourceRules) {
            rules.add(r, "--resource");
        }
        SlurmResources base = SlurmResources.none().with("cpus", "2").with("mem", "8G");
        SlurmPipeline p = new SlurmPipeline(layout, opts, rules, base, parallel,
                parisCommand != null ? parisCommand : defaultParisCommand());
        Reproduction.recordRun(layout, opts, deviceSpec); // or refused: run.json records other settings
        List<Path> files = p.writeScripts();
        o.printf(Locale.ROOT, "paris submit: run %s (preset %s, seed %d, K=%d, text %s, latent %s, router %s, eval"
                        + " features %s, device %s); scripts in %s%n", layout.root(), opts.preset().name(), opts.seed(),
                opts.preset().coarseClusters(), opts.text(), opts.latent(), opts.router(), opts.evalFeatures(),
                RunManifest.recordedDevice(layout).device(), SlurmPipeline.slurmDir(layout));
        for (Path f : files) {
            o.println("  " + f.getFileName());
        }
        if (dryRun) {
            o.println("dry run: nothing submitted. These would be:");
            for (SlurmJob j : p.jobs()) {
                List<Integer> todo = p.pendingTasks(j);
                o.printf(Locale.ROOT, "  %-12s %s%n", j.name(), todo.isEmpty() ? "done, left out"
                        : (j.isArray() ? "array " + SlurmJob.arraySpec(todo) + ", " : "")
                        + String.join(" ", j.resources().sbatchOptions())
                        + (j.after().isEmpty() ? "" : ", after " + String.join(", ", j.after())));
            }
            o.println("submit them with: paris submit --run " + layout.root() + "   (or: bash "
                    + SlurmPipeline.slurmDir(layout).resolve(SlurmPipeline.SUBMIT_SCRIPT) + ")");
            return 0;
        }
        Slurm slurm = Slurm.fromEnvironment();
        if (!slurm.available()) {
            throw new IllegalStateException("sbatch is not available here; run paris submit on a Slurm login node,"
                    + " or use --dry-run to only write the scripts");
        }
        List<SlurmSubmission.Submitted> jobs = SlurmSubmission.submit(p, slurm, hold);
        if (jobs.isEmpty()) {
            o.println("every stage is done: nothing to submit");
            return 0;
        }
        for (SlurmSubmission.Submitted s : jobs) {
            o.printf(Locale.ROOT, "  %-12s job %s%s%n", s.name(), s.id(),
                    s.tasks().isEmpty() ? "" : " (array " + SlurmJob.arraySpec(s.tasks()) + ")");
        }
        o.println("logs in " + SlurmPipeline.slurmDir(layout).resolve(SlurmPipeline.LOGS) + "; follow with: paris status --run "
                + layout.root() + (hold ? "; the jobs are held: scontrol release " + jobs.get(0).id() : ""));
        return 0;
    }

    private static void shorthand(ResourceRules rules, String field, String value) {
        if (value != null) {
            rules.add("default." + field + "=" + value, "--" + (field.equals("cpus") ? "cpus" : field));
        }
    }

    /**
     * run.json's settings when the run exists, with any option given here (a mismatch is refused when run.json
     * is checked, as paris reproduce refuses it), else the preset's with the options given here.
     */
    private Reproduction.Options options(RunLayout layout) {
        Reproduction.Options o;
        if (Files.isRegularFile(layout.runConfig())) {
            Reproduction.Options old = Reproduction.fromRun(layout);
            o = new Reproduction.Options(preset != null ? Preset.of(preset) : old.preset(),
                    seed != null ? seed : old.seed(), old.datasetSpec(), old.features(), old.evalImages(),
                    old.strategies(), null, old.text(), old.latent(), old.evalFeatures(), old.router()).withClip(old.clip());
        } else {
            o = Reproduction.Options.of(Preset.of(preset != null ? preset : "demo"), seed != null ? seed : 42L);
        }
        if (dataset != null) {
            o = o.withDataset(dataset);
        }
        if (text != null) {
            o = o.withText(text);
        }
        if (latent != null) {
            o = o.withLatent(latent);
        }
        if (evalFeatures != null) {
            o = o.withEvalFeatures(evalFeatures);
        }
        if (router != null) {
            o = o.withRouter(router);
        }
        if (features != null) {
            o = o.withFeatures(features);
        }
        if (evalImages != null) {
            o = o.withEvalImages(evalImages);
        }
        if (strategies != null) {
            o = o.withStrategies(strategies.stream().map(RoutingStrategy::parse).toList());
        }
        return o;
    }

    /** The launcher of this installation when started through it, else this JVM with its classpath. */
    static String defaultParisCommand() {
        String home = System.getenv("PARIS_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "paris"))) {
            return quote(Path.of(home, "paris").toAbsolutePath().toString());
        }
        List<String> words = new ArrayList<>();
        words.add(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        words.add("$PARIS_JAVA_OPTS");
        words.add("-Djava.awt.headless=true");
        for (String prop : List.of("ai.djl.offline", "org.bytedeco.javacpp.cachedir")) {
            String v = System.getProperty(prop);
            if (v != null) {
                words.add(quote("-D" + prop + "=" + v));
            }
        }
        words.add("-cp");
        words.add(quote(System.getProperty("java.class.path")));
        words.add(ParisCli.class.getName());
        return String.join(" ", words);
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
