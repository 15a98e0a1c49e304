package org.parisjava.sched;

import java.nio.file.Path;
import java.util.List;

/**
 * One job of a run's pipeline: a script in the run's {@code slurm/} folder.
 *
 * @param name      job and script name: {@code cluster}, {@code experts} (or {@code experts-4-7} when
 *                  experts need different resources), {@code monolith}, {@code router}, {@code evaluate}
 * @param stage     the stage it runs (one of {@link ResourceRules#STAGES})
 * @param tasks     for a job array: the expert indices it covers; empty for a single job
 * @param resources what it asks Slurm for
 * @param after     names of the jobs that must have succeeded first ({@code afterok})
 * @param script    the sbatch script
 */
public record SlurmJob(String name, String stage, List<Integer> tasks, SlurmResources resources, List<String> after,
                       Path script) {
    public SlurmJob {
        tasks = List.copyOf(tasks);
        after = List.copyOf(after);
    }

    public boolean isArray() {
        return !tasks.isEmpty();
    }

    /** Slurm's array syntax for {@code indices}, ranges folded: {@code [0,1,2,3,6]} gives {@code 0-3,6}. */
    public static String arraySpec(List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        List<Integer> s = indices.stream().sorted().distinct().toList();
        while (i < s.size()) {
            int j = i;
            while (j + 1 < s.size() && s.get(j + 1) == s.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(s.get(i));
            if (j > i) {
                sb.append('-').append(s.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
