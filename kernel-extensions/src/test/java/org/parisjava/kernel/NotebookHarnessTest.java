package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook harness catches what it promises to: error outputs, missing figures, dead kernels. */
class NotebookHarnessTest {

    @Test
    void reportsErrorCellsAndMissingFigures(@TempDir Path tmp) throws Exception {
        JupyterFixture jupyter = JupyterFixture.install(tmp, JupyterFixture.currentJava());
        Path nb = writeNotebook(tmp.resolve("bad.ipynb"), List.of(
                cell("int x = 1;\nx + 1", List.of()),
                cell("String s = 42;", List.of()),
                cell("\"no picture here\"", List.of("figure")),
                cell("new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB)", List.of("figure"))));
        NotebookExecution.Report r = NotebookExecution.execute(jupyter, nb, tmp.resolve("out"), 300);
        assertFalse(r.startFailure(), r.summary());
        assertEquals(1, r.errors().size(), r.summary());
        assertTrue(r.errors().get(0).startsWith("cell 2 (String s = 42;)") && r.errors().get(0).contains("cell line 1"),
                r.summary());
        assertEquals(1, r.missingFigures().size(), r.summary());
        assertTrue(r.missingFigures().get(0).startsWith("cell 3"), r.summary());
    }

    @Test
    void reportsAKernelThatCannotStart(@TempDir Path tmp) throws Exception {
        JupyterFixture.assumeJupyter();
        JupyterFixture jupyter = JupyterFixture.install(tmp, JupyterFixture.currentJava());
        // overwrite the kernelspec with one whose classpath lacks the kernel
        KernelInstaller.builder().classpath(tmp.resolve("missing.jar").toString()).cacheDir(tmp).build()
                .install(KernelInstaller.jupyterPathKernelsDir(tmp.resolve("jupyter")));
        Path nb = writeNotebook(tmp.resolve("any.ipynb"), List.of(cell("1 + 1", List.of())));
        NotebookExecution.Report r = NotebookExecution.execute(jupyter, nb, tmp.resolve("out"), 300);
        assertTrue(r.startFailure(), r.summary());
    }

    static JsonObject cell(String source, List<String> tags) {
        JsonObject c = new JsonObject();
        c.addProperty("cell_type", "code");
        c.addProperty("execution_count", (Number) null);
        JsonObject meta = new JsonObject();
        JsonArray t = new JsonArray();
        tags.forEach(t::add);
        meta.add("tags", t);
        c.add("metadata", meta);
        c.add("outputs", new JsonArray());
        c.addProperty("source", source);
        return c;
    }

    static Path writeNotebook(Path file, List<JsonObject> cells) throws Exception {
        JsonObject nb = new JsonObject();
        JsonArray arr = new JsonArray();
        cells.forEach(arr::add);
        nb.add("cells", arr);
        JsonObject meta = new JsonObject();
        JsonObject spec = new JsonObject();
        spec.addProperty("name", KernelInstaller.KERNEL_NAME);
        spec.addProperty("display_name", KernelInstaller.DISPLAY_NAME);
        spec.addProperty("language", "java");
        meta.add("kernelspec", spec);
        nb.add("metadata", meta);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Files.writeString(file, nb.toString());
        return file;
    }
}
