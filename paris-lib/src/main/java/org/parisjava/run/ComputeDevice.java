package org.parisjava.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device every stage of this process computes on: the one place that maps the CLI's
 * {@code --device cpu|gpu|gpu:N} to a DJL {@link Device}, and the one factory of root
 * {@link NDManager}s in the library. Training, sampling, feature extraction and evaluation open their
 * managers here, so models, batches and noise live on the selected device; data enters from the host
 * once per batch and results leave once per batch.
 *
 * <p>The default is the CPU, whatever the engine could use, so that a run is reproducible unless a
 * GPU is asked for. A device is a property of the process, not of the run: a run folder may be
 * resumed on another machine with another device (run.json records the device each stage was started
 * with, for the record only).
 *
 * <p>A GPU needs DJL's CUDA build of libtorch 2.7.1; with the CPU natives (the Maven dependency of
 * this project) the engine sees no GPU and {@link #parse} refuses {@code gpu} with how to get them.
 */
public final class ComputeDevice {
    /** The CLI's default. */
    public static final String DEFAULT = "cpu";
    private static final Pattern SPEC = Pattern.compile("(cpu|gpu)(?::(\\d+))?");
    private static volatile Device selected = Device.cpu();
    private static volatile Precision precision = Precision.FP32;

    private ComputeDevice() {
    }

    /**
     * The device a spec names, checked against the engine.
     *
     * @param spec {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}
     * @throws IllegalArgumentException for a malformed spec, or a GPU the engine does not have; the
     *                                  message says how to get DJL's CUDA natives
     */
    public static Device parse(String spec) {
        String s = checkSpec(spec);
        if (s.equals(DEFAULT)) {
            return Device.cpu();
        }
        int index = Integer.parseInt(s.substring("gpu:".length()));
        int gpus = gpuCount();
        if (gpus == 0) {
            throw new IllegalArgumentException("Device '" + spec + "': the " + engineName()
                    + " engine sees no GPU (it loaded libtorch's CPU natives, the ones on Maven Central). "
                    + "To use a GPU, give DJL the CUDA build of libtorch 2.7.1: either set PYTORCH_FLAVOR=cu128 "
                    + "and DJL_OFFLINE=false once, so that DJL downloads it into DJL_CACHE_DIR, or set "
                    + "PYTORCH_LIBRARY_PATH to an existing libtorch 2.7.1 CUDA install (README, section GPU). "
                    + "Or run with --device cpu.");
        }
        if (index >= gpus) {
            throw new IllegalArgumentException("Device '" + spec + "': the engine sees " + gpus + " GPU"
                    + (gpus == 1 ? "" : "s") + " (gpu:0" + (gpus > 1 ? " to gpu:" + (gpus - 1) : "") + ")");
        }
        return Device.gpu(index);
    }

    /**
     * The spec in its normal form ({@code cpu} or {@code gpu:N}; {@code gpu} is {@code gpu:0}), checked
     * for its form only, without the engine: for a device that another machine will use (the jobs of
     * {@code paris submit} run on compute nodes, not on the login node that writes them).
     *
     * @throws IllegalArgumentException for a malformed spec
     */
    public static String checkSpec(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid device '" + spec + "': use cpu, gpu or gpu:N");
        }
        if (m.group(1).equals("cpu")) {
            if (m.group(2) != null) {
                throw new IllegalArgumentException("Invalid device '" + spec + "': the CPU takes no index, use cpu");
            }
            return DEFAULT;
        }
        return "gpu:" + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** Selects the device of this process (see {@link #parse}); returns it. */
    public static Device select(String spec) {
        Device d = parse(spec);
        selected = d;
        return d;
    }

    /**
     * Selects the device (see {@link #parse}) and the inference precision of this process.
     *
     * @throws UnsupportedOperationException for fp16: DJL 0.35.1 cannot cast a trained block to
     *                                       FLOAT16 ({@code Block.cast} is not implemented and a
     *                                       parameter's array cannot be replaced), so fp16 sampling
     *                                       would need this project to rebuild every model in fp16
     */
    public static Device select(String spec, Precision inference) {
        if (inference == Precision.FP16) {
            throw new UnsupportedOperationException("Precision fp16 is not available yet: DJL 0.35.1 cannot cast a"
                    + " trained model to FLOAT16 (Block.cast is not implemented in its PyTorch engine blocks). Use"
                    + " --precision fp32.");
        }
        Device d = select(spec);
        precision = java.util.Objects.requireNonNull(inference, "precision");
        return d;
    }

    /** The precision samplers run models in; {@link Precision#FP32} until selected. Training is always fp32. */
    public static Precision inferencePrecision() {
        return precision;
    }

    /** The selected device; the CPU until {@link #select} is called. */
    public static Device current() {
        return selected;
    }

    /** {@code cpu} or {@code gpu:N}, the spec {@link #parse} reads back. */
    public static String spec(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : DEFAULT;
    }

    /** The spec of the selected device, e.g. for a child process's {@code --device}. */
    public static String currentSpec() {
        return spec(current());
    }

    /** A new root manager on the selected device; close it. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(current());
    }

    private static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    private static String engineName() {
        return Engine.getInstance().getEngineName();
    }
}
