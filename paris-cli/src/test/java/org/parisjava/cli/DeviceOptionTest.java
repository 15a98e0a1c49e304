package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;
import org.parisjava.run.RunLayout;

/** Every computing command takes --device and --precision, and refuses a GPU the engine lacks at once. */
class DeviceOptionTest {
    @TempDir
    Path tmp;

    @AfterEach
    void backToCpu() {
        ComputeDevice.select("cpu", Precision.FP32);
    }


    @Test
    void everyComputingCommandRefusesAMissingGpuBeforeTouchingItsInputs() {
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        String r = tmp.resolve("run").toString();
        List<String[]> commands = List.of(
                new String[] {"reproduce", "--preset", "smoke", "--out", r},
                new String[] {"cluster", "--out", r, "--preset", "smoke"},
                new String[] {"train-expert", "--run", r, "--cluster", "0"},
                new String[] {"train-experts", "--run", r},
                new String[] {"train-monolith", "--run", r},
                new String[] {"train-router", "--run", r},
                new String[] {"evaluate", "--run", r},
                new String[] {"sample", "--checkpoint", r, "--prompt", "a red circle", "--out", r + "/x.png"});
        for (String[] c : commands) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(c),
                    java.util.stream.Stream.of("--device", "gpu:0", "--precision", "fp32")).toArray(String[]::new);
            CliRun o = CliRun.of(args);
            assertFalse(o.code() == 0, c[0] + " succeeded on a missing GPU");
            assertTrue(o.err().contains("PYTORCH_FLAVOR=cu128"), c[0] + ": " + o.err());
            assertFalse(Files.exists(Path.of(r)), c[0] + " created its output before checking the device");
        }
    }

    @Test
    void generateTakesTheSameDeviceSpecsAndRefusesAMissingGpuAlike() {
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        Path png = tmp.resolve("out/grid.png");
        CliRun o = CliRun.of("generate", "--weights", GenerateCommandTest.TINY.toString(), "--prompt", "a red circle",
                "--steps", "2", "--device", "gpu:0", "--out", png.toString());
        assertFalse(o.code() == 0, "generate succeeded on a missing GPU");
        assertTrue(o.err().contains("PYTORCH_FLAVOR=cu128"), o.err());
        assertFalse(o.err().contains("Could not run") || o.err().contains("Failed to parse device"), o.err());
        assertFalse(Files.exists(png.getParent()), "generate wrote before checking the device");

        CliRun bad = CliRun.of("generate", "--weights", GenerateCommandTest.TINY.toString(), "--prompt", "x",
                "--device", "gpu0", "--out", png.toString());
        assertTrue(bad.err().contains("use cpu, gpu or gpu:N"), bad.err());
    }

    @Test
    void fp16IsRefusedClearlyOnEveryDevice() {
        CliRun o = CliRun.of("train-router", "--run", tmp.toString(), "--precision", "fp16");
        assertFalse(o.code() == 0);
        assertTrue(o.err().contains("fp16 is not available"), o.err());
    }

    @Test
    void aBadPrecisionIsRefusedByName() {
        CliRun o = CliRun.of("train-router", "--run", tmp.toString(), "--precision", "bf16");
        assertFalse(o.code() == 0);
        assertTrue(o.err().contains("no bfloat16"), o.err());
    }

    @Test
    void childExpertProcessesInheritTheDevice() {
        List<String> cmd = ExpertLauncher.command(new RunLayout(tmp), 2, 1, List.of());
        int i = cmd.indexOf("--device");
        assertTrue(i > 0, cmd.toString());
        assertEquals("cpu", cmd.get(i + 1));
    }
}
