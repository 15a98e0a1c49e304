package org.parisjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caption files as editors save them: byte-order marks, CRLF, and files that are not UTF-8. */
class CaptionTextTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path tmp;

    private static byte[] bytes(byte[] prefix, String text, java.nio.charset.Charset cs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(prefix);
        out.write(text.getBytes(cs));
        return out.toByteArray();
    }

    private static List<Sample> read(ImageFolderDataset d) {
        try (Stream<Sample> s = d.stream()) {
            return s.toList();
        }
    }

    @Test
    void linesDropTheByteOrderMarkAndEveryKindOfLineEnd() throws Exception {
        byte[] b = bytes(BOM, "a\tx\r\nb\ty\rc\tz\n\nd\u00e9\t\u6f22\n", StandardCharsets.UTF_8);
        assertEquals(List.of("a\tx", "b\ty", "c\tz", "", "d\u00e9\t\u6f22"), CaptionText.lines(b, "f"));
        assertEquals(List.of(), CaptionText.lines(new byte[0], "f"));
        assertEquals(List.of(""), CaptionText.lines(BOM, "f"));
        assertEquals("two\nlines", CaptionText.caption(bytes(BOM, "  two\r\nlines \r\n", StandardCharsets.UTF_8), "f"));
        // a mark in the middle of the text is a character like any other (zero-width no-break space)
        assertEquals("a\uFEFFb", CaptionText.caption("a\uFEFFb".getBytes(StandardCharsets.UTF_8), "f"));
    }

    @Test
    void bytesThatAreNotUtf8NameFileLineAndByte() throws IOException {
        byte[] latin1 = "ok\r\nstill ok\ncaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
        CaptionText.NotUtf8Exception e = assertThrows(CaptionText.NotUtf8Exception.class,
                () -> CaptionText.lines(latin1, "captions.tsv"));
        assertTrue(e.getMessage().startsWith("captions.tsv line 3: not valid UTF-8 (byte 0xE9 at byte 4 of the line)"),
                e.getMessage());
        byte[] utf16 = bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, "a.png\tx\n", StandardCharsets.UTF_16LE);
        CaptionText.NotUtf8Exception u = assertThrows(CaptionText.NotUtf8Exception.class,
                () -> CaptionText.lines(utf16, "captions.tsv"));
        assertTrue(u.getMessage().startsWith("captions.tsv line 1: UTF-16 text"), u.getMessage());
        byte[] truncated = {'a', (byte) 0xE6, (byte) 0xBC};
        assertThrows(CaptionText.NotUtf8Exception.class, () -> CaptionText.caption(truncated, "x.txt"));
    }

    @Test
    void captionsFileWithByteOrderMarkAndCrlfAsSpreadsheetsSaveIt() {
        Path dir = TestCases.path("captions-bom/images");
        List<Sample> all = read(new ImageFolderDataset(dir, new ImageSpec(3, 16, 16)));
        assertEquals(16, all.size());
        assertEquals("img000.png", all.get(0).id());
        assertEquals("a red circle on a white background", all.get(0).caption());
        for (Sample s : all) {
            assertFalse(s.id().contains("\uFEFF") || s.caption().contains("\uFEFF") || s.caption().contains("\r"), s.toString());
        }
    }

    @Test
    void sidecarsWithByteOrderMarkAndCrlf() throws IOException {
        byte[] png = ImageFolderDatasetTest.png(16, 16, "png");
        Files.write(tmp.resolve("a.png"), png);
        Files.write(tmp.resolve("a.txt"), bytes(BOM, "a red and blue square\r\n", StandardCharsets.UTF_8));
        Files.write(tmp.resolve("b.png"), png);
        Files.write(tmp.resolve("b.txt"), bytes(new byte[0], "caf\u00e9 cr\u00e8me\r\n", StandardCharsets.UTF_8));
        List<Sample> all = read(new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16)));
        assertEquals(List.of("a red and blue square", "caf\u00e9 cr\u00e8me"), all.stream().map(Sample::caption).toList());
    }

    @Test
    void captionsFileNotInUtf8IsAnErrorNamingFileAndLine() throws IOException {
        Files.write(tmp.resolve("a.png"), ImageFolderDatasetTest.png(16, 16, "png"));
        Files.write(tmp.resolve(ImageFolderDataset.CAPTIONS_FILE),
                "a.png\tfirst\na.png\tcaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16)));
        assertTrue(e.getMessage().contains(ImageFolderDataset.CAPTIONS_FILE + " line 2: not valid UTF-8"), e.getMessage());
    }

    @Test
    void sidecarNotInUtf8IsASampleErrorThatCanBeSkipped() throws IOException {
        byte[] png = ImageFolderDatasetTest.png(16, 16, "png");
        Files.write(tmp.resolve("a.png"), png);
        Files.write(tmp.resolve("a.txt"), "na\u00efve\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(tmp.resolve("b.png"), png);
        Files.writeString(tmp.resolve("b.txt"), "fine");
        CorruptSampleException e = assertThrows(CorruptSampleException.class,
                () -> read(new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16))));
        assertEquals("a.png", e.sampleId());
        assertTrue(e.file().endsWith("a.txt") && e.getMessage().contains("line 1: not valid UTF-8"), e.getMessage());
        SkipStats stats = new SkipStats();
        List<Sample> kept = read(new ImageFolderDataset(tmp, new ImageSpec(3, 16, 16), 0, ErrorPolicy.SKIP, stats));
        assertEquals(List.of("fine"), kept.stream().map(Sample::caption).toList());
        assertEquals(1, stats.skipped());
    }
}
