package org.parisjava.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;

/** bench/gpu-check.sh's tiny path on the CPU, so the script stays correct on a machine without a GPU. */
class GpuCheckTest {
    @AfterEach
    void backToCpu() {
        ComputeDevice.select("cpu", Precision.FP32);
    }

    @Test
    void theTinyCheckTrainsSamplesAndReportsItsFigures() {
        ComputeDevice.select("cpu", Precision.FP32);
        GpuCheck.Report r = GpuCheck.run(true, 3);
        assertEquals("cpu", r.device());
        assertEquals(4, r.sampledImages());
        assertTrue(r.matmulTflops() > 0, r.describe());
        assertTrue(r.trainImagesPerSecond() > 0 && r.sampleImagesPerSecond() > 0, r.describe());
        assertTrue(r.trainMfu() > 0 && r.trainMfu() < 1, "MFU is a fraction of the measured peak: " + r.describe());
        assertTrue(r.sampleMfu() > 0 && r.sampleMfu() < 1, r.describe());
        assertTrue(Double.isFinite(r.finalLoss()) && r.finalLoss() > 0, r.describe());
        assertTrue(r.peakMemoryMb() > 0, r.describe());
        assertTrue(r.describe().contains("images/s"));
    }
}
