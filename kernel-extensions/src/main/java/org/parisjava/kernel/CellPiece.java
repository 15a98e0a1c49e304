package org.parisjava.kernel;

/**
 * One complete JShell snippet of a cell. {@code sourceLine} is the cell line (1-based) where
 * {@code source} starts (JShell keeps leading blank lines and comments in it, and diagnostics
 * count from there); {@code codeLine} is the line of its first non-blank character.
 */
record CellPiece(String source, int sourceLine, int codeLine) {
}
