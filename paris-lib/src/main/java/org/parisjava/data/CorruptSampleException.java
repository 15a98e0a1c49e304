package org.parisjava.data;

/** A sample that cannot be read: names the file and the sample so the user can find it. */
public class CorruptSampleException extends RuntimeException {
    private final String file;
    private final String sampleId;

    public CorruptSampleException(String file, String sampleId, String reason, Throwable cause) {
        super("Corrupt sample '" + sampleId + "' in " + file + ": " + reason, cause);
        this.file = file;
        this.sampleId = sampleId;
    }

    public String file() {
        return file;
    }

    public String sampleId() {
        return sampleId;
    }
}
