package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executes every {@code notebooks/*.ipynb} headlessly at smoke scale ({@code PARIS_SCALE=smoke},
 * runs written under a temporary {@code PARIS_RUN_DIR}) on the paris-java kernel; fails on any
 * error output, on a {@code figure}-tagged cell without a PNG, and on a kernel that did not start.
 * A notebook added to notebooks/ is picked up without touching this class.
 */
class NotebookExecutionTest {

    static Stream<Path> notebooks() throws IOException {
        Path dir = JupyterFixture.repoRoot().resolve("notebooks");
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        return Files.list(dir)
                .filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                .filter(p -> !p.getFileName().toString().contains(".executed"))
                .sorted()
                .toList().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void notebookRunsWithoutErrors(Path notebook, @TempDir Path tmp) throws Exception {
        JupyterFixture jupyter = JupyterFixture.install(tmp, JupyterFixture.currentJava());
        jupyter.env.put("PARIS_RUN_DIR", Files.createDirectories(tmp.resolve("run")).toString());
        NotebookExecution.Report report = NotebookExecution.execute(jupyter, notebook, tmp.resolve("out"), 1800);
        assertTrue(report.ok(), report.summary());
        assertTrue(report.codeCells() > 0, notebook + " has no code cells");
    }
}
