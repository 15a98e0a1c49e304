package org.parisjava.train;

import java.nio.file.Path;

/** A checkpoint file that is not what checkpoint.json recorded: wrong size or wrong SHA-256. */
public final class DamagedCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public DamagedCheckpointException(Path checkpointDir, String fileName, String problem) {
        super("Checkpoint " + checkpointDir + " is damaged: " + fileName + " " + problem);
        this.file = checkpointDir.resolve(fileName);
    }

    /** The file that failed verification. */
    public Path file() {
        return file;
    }
}
