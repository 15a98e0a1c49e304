package org.parisjava.cli;

import java.nio.file.Path;
import org.parisjava.io.WriterLock;

/** A child for {@link ProcessFaultsTest}: holds a folder's writer lock, prints "locked", holds it for N ms, exits. */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (WriterLock lock = WriterLock.acquire(Path.of(args[0]), "an orphaned expert trainer")) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
    }
}
