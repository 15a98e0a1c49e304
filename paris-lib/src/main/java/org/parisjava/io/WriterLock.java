package org.parisjava.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per folder: the lock a training run or a pipeline stage holds on the folder it writes
 * (an expert, the monolith, the router, a stage of {@code paris reproduce}), so that a second
 * process refuses at once, saying who holds it, instead of mixing its files with the first's.
 *
 * <p>The lock is the file {@value #FILE} in the folder. While held it says who holds it (host, pid,
 * start time, what) and is locked with the operating system's file lock, which the system drops
 * when the holder dies, even by {@code kill -9}. Released, it is left empty. A lock whose holder is
 * a dead process on this host is taken over with a log line. On a file system without file locks
 * the file's content alone decides: a live holder on this host, or any holder on another host
 * (whose processes this host cannot see), is respected; delete the file if that holder is gone.
 *
 * <p>Within one JVM the lock is re-entrant for the thread that holds it (a reproduce stage and the
 * trainer it calls take the same folder's lock) and refused to other threads.
 */
public final class WriterLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);
    public static final String FILE = "writer.lock";
    private static final Map<Path, WriterLock> HELD = new HashMap<>();

    /** Who holds (or held) a lock. */
    public record Holder(String host, long pid, String started, String what) {
        @Override
        public String toString() {
            return what + " (pid " + pid + " on host " + host + ", since " + started + ")";
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock osLock;
    private final Thread owner;
    private int depth = 1;

    private WriterLock(Path file, FileChannel channel, FileLock osLock) {
        this.file = file;
        this.channel = channel;
        this.osLock = osLock;
        this.owner = Thread.currentThread();
    }

    /**
     * Takes the writer lock of {@code dir} (creating the folder) for {@code what}, a phrase saying
     * what writes it ("expert 3 training").
     *
     * @throws LockedException naming the holder if another live process (or another thread of this one) holds it
     */
    public static WriterLock acquire(Path dir, String what) {
        Path file = lockFile(dir);
        synchronized (HELD) {
            WriterLock mine = HELD.get(file);
            if (mine != null) {
                if (mine.owner == Thread.currentThread()) {
                    mine.depth++;
                    return mine;
                }
                throw new LockedException(dir, readHolder(file).orElse(null), "another thread of this process ("
                        + mine.owner.getName() + ")");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("Cannot use " + dir + " as a folder: it is a file");
            }
            try {
                Files.createDirectories(dir);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    FileLock os;
                    boolean osLocks = true;
                    try {
                        os = ch.tryLock();
                    } catch (IOException unsupported) {
                        os = null;
                        osLocks = false;
                        LOG.debug("{}: no file locks on this file system ({}); deciding from its content", file,
                                unsupported.getMessage());
                    }
                    Optional<Holder> previous = read(ch);
                    if (osLocks && os == null) {
                        throw new LockedException(dir, previous.orElse(null), null);
                    }
                    if (previous.isPresent()) {
                        Holder h = previous.get();
                        String why = staleReason(h, osLocks);
                        if (why == null) {
                            throw new LockedException(dir, h, null);
                        }
                        LOG.warn("{}: taking over the writer lock of {}: {}", dir, h, why);
                    }
                    WriterLock lock = new WriterLock(file, ch, os);
                    lock.write(self(what));
                    HELD.put(file, lock);
                    return lock;
                } catch (RuntimeException | IOException e) {
                    ch.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + file, e);
            }
        }
    }

    /** Who holds {@code dir}'s writer lock now, if a live process does (as far as this host can tell). */
    public static Optional<Holder> holder(Path dir) {
        Path file = lockFile(dir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        synchronized (HELD) {
            if (HELD.containsKey(file)) {
                return readHolder(file);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Optional<Holder> h = read(ch);
            try {
                FileLock probe = ch.tryLock();
                if (probe == null) {
                    return h.isPresent() ? h : Optional.of(new Holder("?", -1, "?", "an unknown process"));
                }
                probe.release();
                return h.filter(x -> staleReason(x, true) == null);
            } catch (IOException unsupported) {
                return h.filter(x -> staleReason(x, false) == null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** This process's pid, if it still runs on this host; empty when the holder is elsewhere or gone. */
    public static Optional<ProcessHandle> process(Holder h) {
        return h.host().equals(hostName()) ? ProcessHandle.of(h.pid()).filter(ProcessHandle::isAlive) : Optional.empty();
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (--depth > 0) {
                return;
            }
            HELD.remove(file);
            try {
                channel.truncate(0);
                channel.force(true);
                if (osLock != null) {
                    osLock.release();
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot release " + file, e);
            }
        }
    }

    /** The lock file of a folder. */
    public static Path lockFile(Path dir) {
        return dir.toAbsolutePath().normalize().resolve(FILE);
    }

    /** Null if {@code h} may still be writing, else why it is stale. */
    private static String staleReason(Holder h, boolean osLocks) {
        if (h.host().equals(hostName())) {
            if (h.pid() == ProcessHandle.current().pid()) {
                return "it is this process (a lock left by an earlier acquire that was never closed)";
            }
            Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
            if (p.isEmpty() || !p.get().isAlive()) {
                return "process " + h.pid() + " is no longer running";
            }
            Optional<Instant> born = p.get().info().startInstant();
            if (born.isPresent() && h.started() != null && born.get().isAfter(parse(h.started()).plusSeconds(1))) {
                return "process " + h.pid() + " is another program that reused the pid";
            }
            return osLocks ? "the process holds no lock on it" : null;
        }
        // another host: only the file system's lock can tell, and it was free
        return osLocks ? "the holder on host " + h.host() + " holds no file lock on it" : null;
    }

    private static Instant parse(String t) {
        try {
            return Instant.parse(t);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private void write(Holder h) throws IOException {
        byte[] json = Json.gson().toJson(h).getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(json), 0);
        channel.force(true);
    }

    private static Optional<Holder> read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0 || size > 1 << 16) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // keep reading
        }
        try {
            return Optional.ofNullable(Json.gson().fromJson(new String(b.array(), 0, b.position(),
                    StandardCharsets.UTF_8), Holder.class));
        } catch (RuntimeException garbled) {
            return Optional.of(new Holder("?", -1, "?", "an unreadable lock file"));
        }
    }

    private static Optional<Holder> readHolder(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Holder self(String what) {
        return new Holder(hostName(), ProcessHandle.current().pid(), Instant.now().toString(), what);
    }

    private static volatile String host;

    /** This host's name, as the lock files record it. */
    public static String hostName() {
        if (host == null) {
            String h = null;
            try { // the kernel's node name (what uname -n prints), the same for every process of this host
                h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException notLinux) {
                // fall through
            }
            if (h == null || h.isBlank()) {
                try {
                    h = InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    h = "localhost";
                }
            }
            host = h;
        }
        return host;
    }

    /** A folder some other writer holds. */
    public static final class LockedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient Holder holder;

        LockedException(Path dir, Holder holder, String who) {
            super(dir + " is being written by " + (holder != null ? holder.toString() : "another process")
                    + (who != null ? ", " + who : "") + "; wait for it to finish or stop it, then run this again. (Lock file: "
                    + lockFile(dir) + (holder != null && !holder.host().equals(hostName())
                    ? "; if that process is gone, delete the lock file" : "") + ")");
            this.holder = holder;
        }

        /** Who holds the lock, if the lock file says. */
        public Optional<Holder> holder() {
            return Optional.ofNullable(holder);
        }
    }
}
