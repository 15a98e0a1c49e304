package org.parisjava.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Caption text as editors save it: strict UTF-8, with a leading byte-order mark (U+FEFF, which
 * spreadsheet programs and Windows editors write) dropped, and lines ended by LF, CRLF or CR.
 * Bytes that are not valid UTF-8 (a file saved as Latin-1 or Windows-1252) are an error naming the
 * file and the line, never replaced silently by U+FFFD.
 */
final class CaptionText {
    /** What a byte-order mark decodes to. */
    static final char BOM = '\uFEFF';

    private CaptionText() {
    }

    /** Thrown for bytes that are not UTF-8; the message names the file and the line. */
    static final class NotUtf8Exception extends Exception {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The lines of {@code bytes}, decoded as UTF-8, without their line ends and without a leading
     * byte-order mark.
     *
     * @param file names the source in the error message
     * @throws NotUtf8Exception naming {@code file}, the 1-based line and the byte offset in that line
     */
    static List<String> lines(byte[] bytes, String file) throws NotUtf8Exception {
        List<String> out = new ArrayList<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int n = bytes.length;
        if (n >= 2 && ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE
                || (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF)) {
            // what Windows Notepad calls "Unicode": every line would fail, so say what it is
            throw new NotUtf8Exception(file + " line 1: UTF-16 text (byte-order mark 0x"
                    + String.format("%02X%02X", bytes[0] & 0xFF, bytes[1] & 0xFF) + "), not UTF-8; save the file as UTF-8",
                    null);
        }
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            try {
                out.add(utf8.reset().decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                int bad = firstInvalid(bytes, start, end);
                throw new NotUtf8Exception(file + " line " + (out.size() + 1) + ": not valid UTF-8 (byte 0x"
                        + String.format("%02X", bytes[bad] & 0xFF) + " at byte " + (bad - start + 1)
                        + " of the line); save the file as UTF-8", e);
            }
            if (end + 1 < n && bytes[end] == '\r' && bytes[end + 1] == '\n') {
                end++;
            }
            start = end + 1;
        }
        if (!out.isEmpty() && !out.get(0).isEmpty() && out.get(0).charAt(0) == BOM) {
            out.set(0, out.get(0).substring(1));
        }
        return out;
    }

    /**
     * The whole text of a caption file or member, decoded as {@link #lines}, lines joined by
     * {@code \n} and surrounding white space stripped.
     */
    static String caption(byte[] bytes, String file) throws NotUtf8Exception {
        return String.join("\n", lines(bytes, file)).strip();
    }

    /** Index of the first byte in [from, to) where a UTF-8 sequence goes wrong. */
    private static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            int len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (len == 0 || i + len > to) {
                return i;
            }
            for (int k = 1; k < len; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += len;
        }
        return from;
    }
}
