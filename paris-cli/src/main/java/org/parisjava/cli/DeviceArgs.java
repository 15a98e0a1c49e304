package org.parisjava.cli;

import org.parisjava.run.ComputeDevice;
import org.parisjava.run.Precision;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --precision}, shared by every command that computes. */
final class DeviceArgs {
    @Option(names = "--device", defaultValue = ComputeDevice.DEFAULT, paramLabel = "cpu|gpu|gpu:N",
            description = "device to compute on (default: ${DEFAULT-VALUE}); gpu needs DJL's CUDA natives, see the README")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16",
            description = "type of the models at sampling and evaluation; fp16 is refused for now (DJL 0.35.1 cannot cast a trained block) (default: ${DEFAULT-VALUE})")
    String precision;

    /** Selects the device and precision for this process; fails at once on a device the engine lacks. */
    void apply() {
        ComputeDevice.select(device, Precision.parse(precision));
    }
}
