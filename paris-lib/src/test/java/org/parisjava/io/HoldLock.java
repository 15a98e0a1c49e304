package org.parisjava.io;

import java.nio.file.Path;

/**
 * A process for the lock tests: takes the writer lock of the folder given as the first argument,
 * prints "locked", and holds it until its standard input closes (or it is killed).
 */
public final class HoldLock {
    private HoldLock() {
    }

    public static void main(String[] args) throws Exception {
        try (WriterLock lock = WriterLock.acquire(Path.of(args[0]), args.length > 1 ? args[1] : "test holder")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold until stdin closes
            }
        }
    }

    /** Starts a JVM holding {@code dir}'s lock; returns once it holds it. */
    public static Process start(Path dir, String what) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldLock.class.getName(), dir.toString(), what)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("lock holder process said " + line);
        }
        return p;
    }
}
