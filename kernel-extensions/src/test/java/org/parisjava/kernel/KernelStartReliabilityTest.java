package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel starts are reliable: consecutive start / run a cell / shutdown cycles through
 * jupyter_client, none may fail. Java kernels available here hung at start now and then, so this
 * guards against regressions; bench/kernel-start.sh measures the same with whole notebooks.
 */
class KernelStartReliabilityTest {

    @Test
    void fiveConsecutiveStarts(@TempDir Path tmp) throws Exception {
        assertNoStartFailure(tmp, 5);
    }

    @Test
    @Tag("slow")
    void twentyConsecutiveStarts(@TempDir Path tmp) throws Exception {
        assertNoStartFailure(tmp, 20);
    }

    private static void assertNoStartFailure(Path tmp, int n) throws Exception {
        JupyterFixture jupyter = JupyterFixture.install(tmp, JupyterFixture.currentJava());
        JupyterFixture.Result r = jupyter.run(List.of(JupyterFixture.PYTHON.toString(),
                JupyterKernelTest.probeScript().toString(), "starts", String.valueOf(n)), 120 * n);
        JsonObject out = JupyterKernelTest.probeJson(r);
        assertEquals(n, out.getAsJsonArray("runs").size());
        assertEquals(0, out.get("failures").getAsInt(), "start failures: " + out);
    }
}
