package org.parisjava.viz;

import java.nio.file.Path;
import java.util.List;
import org.parisjava.data.ImageU8;
import org.parisjava.run.RunLayout;

/**
 * The example grid of each cluster, {@code clustering/grids/cluster-XX.png}: what the clustering put
 * together, eight images a row, scaled up so a 16-pixel image is readable.
 */
public final class ClusterGrids {
    /** Images per row. */
    public static final int COLUMNS = 8;

    /** Grid cells are scaled up to about this many pixels a side. */
    private static final int TARGET_CELL = 64;

    private ClusterGrids() {
    }

    /** The grid file of cluster {@code c}. */
    public static Path file(RunLayout run, int c) {
        return run.clusteringDir().resolve("grids").resolve(RunLayout.clusterName(c) + ".png");
    }

    /** Writes one grid per cluster from {@code examples} (cluster by cluster, as the clustering returns them). */
    public static void write(RunLayout run, List<List<ImageU8>> examples) {
        for (int c = 0; c < examples.size(); c++) {
            List<ImageU8> images = examples.get(c);
            int width = images.isEmpty() ? TARGET_CELL : images.get(0).width();
            ImageGrid.of(images).withColumns(COLUMNS).withScale(Math.max(1, TARGET_CELL / width)).writePng(file(run, c));
        }
    }
}
