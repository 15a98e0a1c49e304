package org.parisjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLockTest {
    @TempDir
    Path tmp;

    /** An --out that names a file is refused as such ("it is a file"), and the file is left as it was. */
    @Test
    void aFileWhereTheFolderShouldBeIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WriterLock.acquire(file, "paris cluster"));
        assertTrue(e.getMessage().contains(file + " as a folder: it is a file"), e.getMessage());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void heldLockNamesItsHolderAndIsReentrantForItsThreadOnly() throws Exception {
        Path dir = tmp.resolve("experts/cluster-03");
        try (WriterLock a = WriterLock.acquire(dir, "expert 3 training")) {
            WriterLock.Holder h = WriterLock.holder(dir).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), h.pid());
            assertEquals(WriterLock.hostName(), h.host());
            assertEquals("expert 3 training", h.what());
            try (WriterLock again = WriterLock.acquire(dir, "the same stage, nested")) {
                assertSame(a, again);
            }
            assertTrue(WriterLock.holder(dir).isPresent(), "a nested release keeps the lock");
            WriterLock.LockedException e = CompletableFuture.supplyAsync(() ->
                    assertThrows(WriterLock.LockedException.class, () -> WriterLock.acquire(dir, "a second writer"))).get();
            assertTrue(e.getMessage().contains("another thread of this process"), e.getMessage());
        }
        assertFalse(WriterLock.holder(dir).isPresent());
        assertEquals(0, Files.size(WriterLock.lockFile(dir)), "released: the lock file is left empty");
        WriterLock.acquire(dir, "a later run").close();
    }

    @Test
    void aSecondProcessIsRefusedAtOnceAndALockOfAKilledProcessIsTakenOver() throws Exception {
        Path dir = tmp.resolve("monolith");
        Process holder = HoldLock.start(dir, "monolith training");
        try {
            long t0 = System.nanoTime();
            WriterLock.LockedException e = assertThrows(WriterLock.LockedException.class,
                    () -> WriterLock.acquire(dir, "a second trainer"));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused at once");
            assertTrue(e.getMessage().contains("monolith training (pid " + holder.pid() + " on host "
                    + WriterLock.hostName()), e.getMessage());
            assertEquals(holder.pid(), e.holder().orElseThrow().pid());
            assertEquals(holder.pid(), WriterLock.holder(dir).orElseThrow().pid());
        } finally {
            holder.destroyForcibly(); // kill -9: no chance to clear the lock file
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.size(WriterLock.lockFile(dir)) > 0, "the killed holder's record is still in the file");
        assertFalse(WriterLock.holder(dir).isPresent(), "a dead holder holds nothing");
        try (WriterLock mine = WriterLock.acquire(dir, "the rerun")) {
            assertEquals(WriterLock.lockFile(dir), WriterLock.lockFile(dir.resolve(".")), mine.toString());
            assertEquals(ProcessHandle.current().pid(), WriterLock.holder(dir).orElseThrow().pid());
        }
    }

    @Test
    void aStaleRecordOfADeadPidOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dir = tmp.resolve("router");
        Files.createDirectories(dir);
        Files.writeString(WriterLock.lockFile(dir), Json.gson().toJson(new WriterLock.Holder(WriterLock.hostName(),
                gone.pid(), Instant.now().toString(), "router training")));
        assertFalse(WriterLock.holder(dir).isPresent());
        try (WriterLock l = WriterLock.acquire(dir, "router training, rerun")) {
            assertEquals("router training, rerun", WriterLock.holder(dir).orElseThrow().what(), l.toString());
        }
    }

    @Test
    void stdinClosingReleasesTheHolder() throws Exception {
        Path dir = tmp.resolve("eval");
        Process holder = HoldLock.start(dir, "evaluate");
        holder.getOutputStream().close();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, holder.exitValue());
        assertEquals(0, Files.size(WriterLock.lockFile(dir)), "a clean exit clears the record");
    }
}
