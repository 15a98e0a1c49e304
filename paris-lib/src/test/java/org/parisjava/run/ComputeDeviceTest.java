package org.parisjava.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The device string maps to a DJL device in one place, and the library's managers follow it. */
class ComputeDeviceTest {
    @AfterEach
    void backToCpu() {
        ComputeDevice.select("cpu", Precision.FP32);
    }

    @Test
    void cpuIsTheDefaultAndManagersAreCreatedOnTheSelectedDevice() {
        assertEquals(Device.cpu(), ComputeDevice.parse("cpu"));
        assertEquals(Device.cpu(), ComputeDevice.parse(" CPU "));
        assertEquals(Device.cpu(), ComputeDevice.select("cpu"));
        try (NDManager m = ComputeDevice.newManager()) {
            NDArray a = m.ones(new ai.djl.ndarray.types.Shape(2, 3));
            assertEquals(Device.cpu(), m.getDevice());
            assertEquals(Device.cpu(), a.getDevice());
        }
        assertEquals("cpu", ComputeDevice.currentSpec());
        assertEquals("gpu:3", ComputeDevice.spec(Device.gpu(3)));
    }

    @Test
    void aGpuOnCpuNativesFailsFastSayingHowToGetCudaNatives() {
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        for (String spec : new String[] {"gpu", "gpu:0", "gpu:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.select(spec));
            assertTrue(e.getMessage().contains("Device '" + spec + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu128"), e.getMessage());
            assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH"), e.getMessage());
            assertTrue(e.getMessage().contains("DJL_OFFLINE=false"), e.getMessage());
        }
        assertEquals(Device.cpu(), ComputeDevice.current(), "a refused device leaves the selection as it was");
    }

    @Test
    void malformedDevicesAndBf16AreRefusedByName() {
        for (String spec : new String[] {"tpu", "gpu:", "gpu:x", "cpu:1", "", "cuda"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse(spec));
            assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
        }
        assertSame(Precision.FP16, Precision.parse("fp16"));
        assertSame(Precision.FP32, Precision.parse("FP32"));
        UnsupportedOperationException half = assertThrows(UnsupportedOperationException.class,
                () -> ComputeDevice.select("cpu", Precision.FP16));
        assertTrue(half.getMessage().contains("fp16") && half.getMessage().contains("Block.cast"), half.getMessage());
        IllegalArgumentException bf = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(bf.getMessage().contains("no bfloat16"), bf.getMessage());
    }
}
