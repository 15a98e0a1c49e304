package org.parisjava.train;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a stretch of training ran: the machine, the device, the JDK and, under Slurm, the job.
 * A checkpoint keeps one entry per stretch ({@link CheckpointInfo#trainedOn()}), so an expert
 * that was preempted on one node and resumed on another says so.
 *
 * @param host      node name (Slurm's {@code SLURMD_NODENAME} when set, else the host name)
 * @param device    the DJL device the weights live on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param java      JDK vendor and version
 * @param os        operating system and architecture
 * @param cpus      processors the JVM may use
 * @param slurmJob  {@code ARRAYJOB_TASK} or {@code JOBID} under Slurm, else null
 * @param fromStep  the step this stretch started from (0, or the checkpoint it resumed)
 * @param toStep    the last step it reached
 */
public record TrainingHost(String host, String device, String java, String os, int cpus, String slurmJob,
                           long fromStep, long toStep) {

    /** This process, on {@code device}, for steps {@code fromStep..toStep}. */
    public static TrainingHost current(String device, long fromStep, long toStep) {
        return new TrainingHost(hostName(), device,
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), currentSlurmJob(), fromStep, toStep);
    }

    /**
     * The history {@code before} (from the checkpoint at {@code fromStep}) extended to {@code toStep}
     * by this process: its own last entry grows, or a new entry starts.
     */
    public static List<TrainingHost> extend(List<TrainingHost> before, long fromStep, long toStep, String device) {
        List<TrainingHost> out = new ArrayList<>(before == null ? List.of() : before);
        TrainingHost now = current(device, fromStep, toStep);
        if (!out.isEmpty()) {
            TrainingHost last = out.get(out.size() - 1);
            if (last.sameProcessAs(now) && last.toStep() == fromStep) {
                out.set(out.size() - 1, new TrainingHost(last.host, last.device, last.java, last.os, last.cpus,
                        last.slurmJob, last.fromStep, toStep));
                return out;
            }
        }
        out.add(now);
        return out;
    }

    private boolean sameProcessAs(TrainingHost o) {
        return Objects.equals(host, o.host) && Objects.equals(device, o.device) && Objects.equals(java, o.java)
                && Objects.equals(slurmJob, o.slurmJob) && cpus == o.cpus;
    }

    static String hostName() {
        String node = System.getenv("SLURMD_NODENAME");
        if (node != null && !node.isBlank()) {
            return node;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            String h = System.getenv("HOSTNAME");
            return h != null ? h : "unknown";
        }
    }

    static String currentSlurmJob() {
        String array = System.getenv("SLURM_ARRAY_JOB_ID");
        String task = System.getenv("SLURM_ARRAY_TASK_ID");
        if (array != null && task != null) {
            return array + "_" + task;
        }
        return System.getenv("SLURM_JOB_ID");
    }
}
