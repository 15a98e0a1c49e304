package org.parisjava.data;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The real-world input files under test resources {@code cases/} (see the README there). */
final class TestCases {
    private TestCases() {
    }

    static Path path(String relative) {
        try {
            return Path.of(TestCases.class.getResource("/cases/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource cases/" + relative, e);
        }
    }
}
