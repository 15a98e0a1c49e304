package org.parisjava.kernel;

import java.util.ArrayList;
import java.util.List;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits a cell into the snippets JShell evaluates one at a time, remembering where each starts so
 * that errors point at cell lines. The last piece may be incomplete; {@link Split#incompleteTail}
 * says so.
 */
final class CellSplitter {
    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** The pieces of {@code code}, whose first line is cell line {@code firstLine}. */
    record Split(List<CellPiece> pieces, String incompleteTail, int tailOffset, Completeness tailCompleteness) {
    }

    Split split(String code, int firstLine) {
        List<CellPiece> pieces = new ArrayList<>();
        String remaining = code;
        while (!remaining.isBlank()) {
            int offset = code.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            if (!c.isComplete()) {
                return new Split(pieces, remaining, offset, c);
            }
            int lead = leadingBlank(remaining);
            int sourceLine = firstLine + countNewlines(code, 0, offset);
            int codeLine = firstLine + countNewlines(code, 0, offset + lead);
            pieces.add(new CellPiece(info.source(), sourceLine, codeLine, offset));
            if (info.remaining().length() >= remaining.length()) {
                break; // no progress: never loop forever on odd input
            }
            remaining = info.remaining();
        }
        return new Split(pieces, "", code.length(), Completeness.EMPTY);
    }

    private static int leadingBlank(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static int countNewlines(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < Math.min(to, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
