package org.parisjava.kernel;

/**
 * One complete JShell snippet of a cell. {@code sourceLine} is the cell line (1-based) where
 * {@code source} starts (JShell keeps leading blank lines and comments in it, and diagnostics
 * count from there); {@code codeLine} is the line of its first non-blank character; {@code offset}
 * is where {@code source} starts in the code that was split (several snippets can share a line, so
 * a diagnostic's column is counted from the line's start, not from the snippet's).
 */
record CellPiece(String source, int sourceLine, int codeLine, int offset) {
}
