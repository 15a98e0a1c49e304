package org.parisjava.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Writes a user exception as a person reads it: the exception, then the frames, where JShell's
 * snippet frames ({@code #12:3}) become cell lines and the method JShell wraps a statement in
 * becomes {@code <cell>}. JShell has already cut the kernel's own frames below the snippet.
 */
final class StackTraceReport {
    private StackTraceReport() {
    }

    static List<String> lines(JShellException e, Map<String, Integer> snippetLines) {
        List<String> out = new ArrayList<>();
        Throwable t = e;
        String prefix = "";
        while (t != null) {
            out.add(prefix + headline(t));
            for (StackTraceElement f : t.getStackTrace()) {
                out.add("    at " + frame(f, snippetLines));
            }
            t = t.getCause();
            prefix = "Caused by: ";
        }
        return out;
    }

    private static String headline(Throwable t) {
        if (t instanceof EvalException eval) {
            String msg = eval.getMessage();
            return eval.getExceptionClassName() + (msg == null ? "" : ": " + msg);
        }
        if (t instanceof UnresolvedReferenceException unresolved) {
            return "UnresolvedReferenceException: " + unresolved.getSnippet().source().strip().lines()
                    .findFirst().orElse("") + " uses something not yet declared";
        }
        return t.toString();
    }

    private static String frame(StackTraceElement f, Map<String, Integer> snippetLines) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            String method = f.getMethodName().isEmpty() ? "<cell>" : f.getMethodName();
            String owner = f.getClassName().isEmpty() ? "" : f.getClassName() + ".";
            Integer start = snippetLines.get(file.substring(1));
            String where = start == null
                    ? "snippet " + file + ", line " + f.getLineNumber()
                    : "cell line " + (start + f.getLineNumber() - 1);
            return owner + method + " (" + where + ")";
        }
        return f.toString();
    }
}
