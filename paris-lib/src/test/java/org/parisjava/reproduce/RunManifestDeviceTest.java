package org.parisjava.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;
import org.parisjava.run.Preset;
import org.parisjava.run.RunLayout;

/** run.json records the device and inference precision the run was started with. */
class RunManifestDeviceTest {
    @TempDir
    Path tmp;

    @AfterEach
    void backToCpu() {
        ComputeDevice.select("cpu", Precision.FP32);
    }

    @Test
    void runJsonRecordsTheSelectedDeviceAndPrecision() {
        ComputeDevice.select("cpu", Precision.FP32);
        RunLayout run = new RunLayout(tmp.resolve("run"));
        RunManifest.writeOrCheck(run, Reproduction.Options.of(Preset.of("smoke"), 7));
        JsonObject json = Json.read(run.runConfig(), JsonObject.class);
        assertEquals("cpu", json.get("device").getAsString());
        assertEquals("fp32", json.get("precision").getAsString());
    }
}
