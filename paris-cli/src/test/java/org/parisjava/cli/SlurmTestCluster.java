package org.parisjava.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.parisjava.sched.Slurm;

/**
 * A throw-away single-node Slurm for tests: munged, slurmctld and slurmd on 127.0.0.1, every file
 * (config, keys, state, spool, logs) under one folder, on free ports. {@link #close()} cancels the
 * jobs, then stops the three daemons by the processes it started (never by name).
 *
 * <p>Needs root (slurmd starts jobs as their user) and Debian's slurmctld, slurmd, slurm-client
 * and munge ({@code ./paris test} installs them as root). {@link #unavailable()} says why not.
 */
final class SlurmTestCluster implements AutoCloseable {
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(60);
    private final Path dir;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>(); // munged, slurmctld, slurmd: stopped in reverse
    private final Thread shutdownHook = new Thread(this::stopDaemons, "slurm-test-cluster-stop");

    private SlurmTestCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("etc/slurm.conf");
    }

    /** Why no test cluster can start here, or empty when it can. */
    static Optional<String> unavailable() {
        for (String bin : List.of("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel")) {
            if (which(bin).isEmpty()) {
                return Optional.of(bin + " is not installed; as root, ./paris test installs slurmctld slurmd"
                        + " slurm-client munge (or: apt-get install slurmctld slurmd slurm-client munge)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("a test Slurm cluster needs root (slurmd starts jobs as their user); running as "
                    + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    private static Optional<Path> which(String bin) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, bin);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts a cluster under {@code dir} (which must be empty or new) and waits for its node to be idle. */
    static SlurmTestCluster start(Path dir) throws IOException, InterruptedException {
        SlurmTestCluster c = new SlurmTestCluster(dir.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(c.shutdownHook);
        try {
            c.up();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    Slurm client() {
        return new Slurm(env());
    }

    Path dir() {
        return dir;
    }

    private void up() throws IOException, InterruptedException {
        for (String d : List.of("etc", "munge", "state", "spool", "run", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        // munged insists that every folder up to its socket is o+x and not o+w
        for (Path p = dir.resolve("munge"); p != null && p.startsWith(dir.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path key = dir.resolve("munge/munge.key");
        byte[] k = new byte[1024];
        new SecureRandom().nextBytes(k);
        Files.write(key, k);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path sock = dir.resolve("munge/munge.socket.2");
        daemons.add(daemon("munged", List.of("munged", "-F", "--socket=" + sock, "--key-file=" + key,
                "--pid-file=" + dir.resolve("run/munged.daemon.pid"), "--seed-file=" + dir.resolve("munge/munged.seed"),
                "--log-file=" + dir.resolve("log/munged.log"))));
        waitFor("munged socket", () -> Files.exists(sock));

        int ctldPort = freePort();
        int slurmdPort = freePort();
        int cpus = Math.max(2, Runtime.getRuntime().availableProcessors());
        long memMb = (long) (totalMemoryMb() * 0.9);
        String text = String.join("\n",
                "ClusterName=paristest",
                "SlurmctldHost=localhost(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny",
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                // cred_expire is also how long a requeued job waits before it may start again (5 s is the least)
                "AuthInfo=socket=" + sock + ",cred_expire=5",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("run/slurmctld.daemon.pid"),
                "SlurmdPidFile=" + dir.resolve("run/slurmd.daemon.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "MpiDefault=none",
                "SwitchType=switch/none",
                "MailProg=/bin/true",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU_Memory",
                "SlurmdParameters=config_overrides",
                "ReturnToService=2",
                "DependencyParameters=kill_invalid_depend",
                // schedule at once and every second (a requeued job becomes eligible between passes)
                "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=1",
                "MinJobAge=3600",
                "KillWait=10",
                "SlurmctldTimeout=30",
                "SlurmdTimeout=30",
                "NodeName=localhost NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memMb + " State=UNKNOWN",
                "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                "PartitionName=long Nodes=localhost MaxTime=INFINITE State=UP",
                "");
        Files.writeString(conf, text, StandardCharsets.UTF_8);
        daemons.add(daemon("slurmctld", List.of("slurmctld", "-D", "-f", conf.toString())));
        daemons.add(daemon("slurmd", List.of("slurmd", "-D", "-N", "localhost", "-f", conf.toString())));
        Slurm s = client();
        waitFor("an idle node", () -> {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Slurm daemon exited (pid " + p.pid() + "); logs in "
                            + dir.resolve("log"));
                }
            }
            try {
                var pb = new ProcessBuilder("sinfo", "-h", "-n", "localhost", "-o", "%T");
                pb.environment().putAll(env());
                pb.redirectErrorStream(true);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                p.waitFor();
                return out.equals("idle");
            } catch (IOException e) {
                return false;
            }
        });
        if (!s.available()) {
            throw new IllegalStateException("sbatch does not answer; logs in " + dir.resolve("log"));
        }
    }

    private Process daemon(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("log/" + name + ".stderr").toFile());
        Process p = pb.start();
        Files.writeString(dir.resolve("run/" + name + ".pid"), Long.toString(p.pid()));
        return p;
    }

    private interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    private void waitFor(String what, Check check) throws IOException, InterruptedException {
        long end = System.nanoTime() + UP_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("No " + what + " after " + UP_TIMEOUT.toSeconds() + " s; logs in "
                + dir.resolve("log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long totalMemoryMb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 4096;
    }

    /** Cancels every job, waits for them to end, then stops slurmd, slurmctld and munged. */
    @Override
    public void close() {
        try {
            if (daemons.size() == 3 && daemons.stream().allMatch(Process::isAlive)) {
                var pb = new ProcessBuilder("scancel", "--user=" + System.getProperty("user.name"));
                pb.environment().putAll(env());
                pb.redirectErrorStream(true);
                Process p = pb.start();
                p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < end && anyJobAlive()) {
                    Thread.sleep(200);
                }
            }
        } catch (IOException | RuntimeException e) {
            // stop the daemons anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopDaemons();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private boolean anyJobAlive() throws IOException, InterruptedException {
        var pb = new ProcessBuilder("squeue", "-h", "-t", "PD,R,CG,S", "-o", "%i");
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return p.exitValue() == 0 && !out.isEmpty();
    }

    private synchronized void stopDaemons() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            if (p.isAlive()) {
                p.destroy(); // SIGTERM to the pid we started
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        daemons.clear();
    }
}
