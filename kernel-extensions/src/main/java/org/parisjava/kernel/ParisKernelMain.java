package org.parisjava.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Kernel process entry point: {@code java -cp ... org.parisjava.kernel.ParisKernelMain <connection file>}.
 * Jupyter writes the connection file and passes it as {@code {connection_file}} (see the kernelspec).
 */
public final class ParisKernelMain {
    private ParisKernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ParisKernelMain <connection file>");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println("connection file not found: " + file.toAbsolutePath());
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        JupyterConnection connection = new JupyterConnection(props);
        ParisKernel kernel = ParisKernel.builder().build();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        // JShell starts and extensions (ParisExtension included) install after connecting, so that
        // kernel_info is answered at once; cells sent meanwhile wait for this to finish.
        kernel.onStartup();
        connection.waitUntilClose();
        System.exit(0); // JShell and AWT leave non-daemon threads behind
    }
}
