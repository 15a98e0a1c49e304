package org.parisjava.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;

/**
 * The union of the K cluster shards with each image's cluster id: the router's training data (it
 * must see every cluster, unlike the experts). Shard k holds cluster k.
 */
public final class ClusteredImages {
    private final List<Shard> shards;
    private final int[] starts;
    private final ImageSpec spec;

    private ClusteredImages(List<Shard> shards) {
        this.shards = List.copyOf(shards);
        this.starts = new int[shards.size() + 1];
        for (int k = 0; k < shards.size(); k++) {
            Shard s = shards.get(k);
            if (!s.trainingSpec().equals(shards.get(0).trainingSpec())) {
                throw new IllegalArgumentException("Shard " + s.dir() + " has training data " + s.trainingSpec()
                        + ", shard " + shards.get(0).dir() + " has " + shards.get(0).trainingSpec());
            }
            starts[k + 1] = starts[k] + s.count();
        }
        this.spec = shards.get(0).trainingSpec();
    }

    /** Opens shard k from {@code shardDirs.get(k)} for every k. */
    public static ClusteredImages open(List<Path> shardDirs) {
        if (shardDirs.isEmpty()) {
            throw new IllegalArgumentException("The router needs at least one cluster shard");
        }
        List<Shard> shards = new ArrayList<>();
        for (Path d : shardDirs) {
            shards.add(Shard.open(d));
        }
        return new ClusteredImages(shards);
    }

    public int clusters() {
        return shards.size();
    }

    public int count() {
        return starts[starts.length - 1];
    }

    public ImageSpec spec() {
        return spec;
    }

    public int cluster(int index) {
        check(index);
        int k = 0;
        while (starts[k + 1] <= index) {
            k++;
        }
        return k;
    }

    public void imageToFloat(int index, float[] dst, int offset) {
        int k = cluster(index);
        shards.get(k).trainingToFloat(index - starts[k], dst, offset);
    }

    public String caption(int index) {
        int k = cluster(index);
        return shards.get(k).caption(index - starts[k]);
    }

    public String describe() {
        StringBuilder b = new StringBuilder("union of " + shards.size() + " shards (");
        for (int k = 0; k < shards.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(shards.get(k).count());
        }
        return b.append(" images)").toString();
    }

    private void check(int index) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("Image " + index + " outside 0.." + (count() - 1));
        }
    }
}
