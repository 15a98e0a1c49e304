package org.parisjava.kernel;

import java.util.List;

/**
 * A cell failed: it did not compile, threw, or was interrupted. Carries the lines the notebook
 * shows as the error's traceback, already phrased for a person (cell lines, no JShell internals).
 */
public class CellErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as the error name the notebook shows. */
    public enum Kind { COMPILE_ERROR, RUNTIME_ERROR, INTERRUPTED, MAGIC_ERROR }

    private final Kind kind;
    private final String errorName;
    private final List<String> report;

    public CellErrorException(Kind kind, String errorName, String message, List<String> report) {
        super(message);
        this.kind = kind;
        this.errorName = errorName;
        this.report = List.copyOf(report);
    }

    public Kind kind() {
        return kind;
    }

    /** For a runtime error the user exception's class name, else a short label. */
    public String errorName() {
        return errorName;
    }

    /** The traceback lines, one line each. */
    public List<String> report() {
        return report;
    }
}
