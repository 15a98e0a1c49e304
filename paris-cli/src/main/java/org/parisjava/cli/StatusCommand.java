package org.parisjava.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parisjava.run.RunLayout;
import org.parisjava.sched.RunStatus;
import org.parisjava.sched.Slurm;
import org.parisjava.sched.SlurmSubmission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paris status}: one table of every stage and expert of a run, local or submitted to Slurm. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show every stage and expert of a run: pending, running, done, stopped or failed.",
                "With the step, last loss, images/s and host; read from the run folder and, for a submitted run,",
                "from squeue/sacct."})
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "run folder")
    Path run;

    @Option(names = "--no-scheduler", description = "read the run folder only (do not ask squeue/sacct)")
    boolean noScheduler;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        RunLayout layout = new RunLayout(run.toAbsolutePath().normalize());
        boolean submitted = !SlurmSubmission.read(layout).isEmpty();
        Slurm slurm = null;
        if (submitted && !noScheduler) {
            Slurm s = Slurm.fromEnvironment();
            slurm = s.available() ? s : null;
        }
        List<RunStatus.Row> rows = RunStatus.of(layout, slurm);
        o.println("run " + layout.root() + (submitted ? slurm != null ? " (Slurm jobs: squeue/sacct and slurm/state)"
                : " (submitted to Slurm; no client here: the folder alone)" : " (local)"));
        o.print(render(rows));
        long failed = rows.stream().filter(r -> r.state() == RunStatus.State.FAILED).count();
        return failed == 0 ? 0 : 1;
    }

    static String render(List<RunStatus.Row> rows) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-8s %11s %8s %8s  %-20s %-10s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "stage", "state", "step", "loss", "img/s", "host", "job", "")
                .stripTrailing()).append('\n');
        for (RunStatus.Row r : rows) {
            String step = r.steps() < 0 ? "" : (r.step() < 0 ? 0 : r.step()) + "/" + r.steps();
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.state().label(), step,
                    Double.isNaN(r.lastLoss()) ? "" : String.format(Locale.ROOT, "%.4f", r.lastLoss()),
                    Double.isNaN(r.imagesPerSecond()) ? "" : String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()),
                    r.host() == null ? "" : r.host(), r.job() == null ? "" : r.job(),
                    r.detail() == null ? "" : r.detail()).stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
