package org.parisjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    record Config(String name, int k, double lr) {
    }

    @Test
    void failedWriteKeepsThePreviousContentAndLeavesNoTemporaryFile() throws Exception {
        Path f = tmp.resolve("sub/state.txt");
        AtomicFiles.writeString(f, "good");
        assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("good", Files.readString(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writtenFilesAreReadableByOthers() throws Exception {
        Path f = tmp.resolve("figure.png");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OTHERS_READ));
    }

    @Test
    void jsonRoundTripsRecordsAndNamesBadFiles() throws Exception {
        Path f = tmp.resolve("c.json");
        Json.write(f, new Config("demo", 8, 5e-4));
        assertEquals(new Config("demo", 8, 5e-4), Json.read(f, Config.class));
        Files.writeString(f, "{not json");
        var e = assertThrows(IllegalArgumentException.class, () -> Json.read(f, Config.class));
        assertTrue(e.getMessage().contains("c.json"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.read(tmp.resolve("missing.json"), Config.class));
        assertTrue(e.getMessage().contains("Missing file"), e.getMessage());
    }
}
