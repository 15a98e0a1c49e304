package org.parisjava.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import smile.math.blas.BLAS;
import smile.math.blas.Layout;
import smile.math.blas.Transpose;

/**
 * OpenBLAS, as Smile binds it, used without copies: the clustering's and PCA's matrix products pass
 * direct (off-heap) buffers, which OpenBLAS reads and writes in place. A {@code float[]} argument of
 * Smile's binding is copied into native memory and back on every call: for the k-means' GEMM of a
 * 16,384 x 50 block against 64 centroids that copy took 16 times the product itself (26 ms against
 * 1.6 ms), and every Lloyd iteration and every k-means++ centre paid it once per block.
 *
 * <p>Loading OpenBLAS (JavaCPP finds and maps the library) takes about half a second;
 * {@link #loadInBackground()} starts it on another thread so that reading the data overlaps it.
 */
public final class OpenBlas {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlas.class);
    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private OpenBlas() {
    }

    /**
     * A direct float buffer of {@code n} values in native byte order, zeroed.
     *
     * @throws IllegalArgumentException if {@code n * 4} bytes exceed a buffer's 2 GiB
     */
    public static FloatBuffer floats(long n) {
        return ByteBuffer.allocateDirect(bytes(n, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * A direct double buffer of {@code n} values in native byte order, zeroed.
     *
     * @throws IllegalArgumentException if {@code n * 8} bytes exceed a buffer's 2 GiB
     */
    public static DoubleBuffer doubles(long n) {
        return ByteBuffer.allocateDirect(bytes(n, Double.BYTES)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    /** The most rows of {@code d} floats that one direct buffer holds, capped at {@code cap}. */
    public static int rowsPerBuffer(int d, int cap) {
        return (int) Math.max(1, Math.min(cap, (Integer.MAX_VALUE / Float.BYTES) / Math.max(1, d)));
    }

    private static int bytes(long n, int size) {
        if (n < 0 || n * size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A direct buffer holds at most " + Integer.MAX_VALUE / size
                    + " values of " + size + " bytes, asked " + n);
        }
        return (int) (n * size);
    }

    /** Starts loading OpenBLAS on a daemon thread, once; the first product waits for it if it has not ended. */
    public static void loadInBackground() {
        if (LOADING.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    // JavaCPP maps the library at the first native call, not when BLAS.engine is made
                    BLAS.engine.gemm(Layout.ROW_MAJOR, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1, 1, 1, 1.0,
                            new double[]{1}, 1, new double[]{1}, 1, 0.0, new double[1], 1);
                } catch (Throwable e) {
                    // the caller's first product fails too
                    LOG.error("OpenBLAS could not be loaded", e);
                }
            }, "openblas-load");
            t.setDaemon(true);
            t.start();
        }
    }
}
