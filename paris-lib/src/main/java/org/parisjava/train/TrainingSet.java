package org.parisjava.train;

import java.util.List;
import org.parisjava.data.ImageSpec;
import org.parisjava.data.Shard;

/**
 * Random access to training images and captions: one shard for an expert, all shards for the
 * monolith. Training data come out as floats, channel-major: pixels in [-1, 1], or the scaled latents
 * of a shard that holds them ({@link Shard#trainingToFloat}).
 */
public interface TrainingSet {
    String name();

    ImageSpec spec();

    int count();

    void imageToFloat(int index, float[] dst, int offset);

    String caption(int index);

    /** One cluster's shard: all an expert ever reads. */
    static TrainingSet of(Shard shard) {
        return new TrainingSet() {
            public String name() {
                return shard.dir().getFileName().toString();
            }

            public ImageSpec spec() {
                return shard.trainingSpec();
            }

            public int count() {
                return shard.count();
            }

            public void imageToFloat(int index, float[] dst, int offset) {
                shard.trainingToFloat(index, dst, offset);
            }

            public String caption(int index) {
                return shard.caption(index);
            }
        };
    }

    /** Shards one after another (the monolith's data); all must share an image spec. */
    static TrainingSet concat(List<Shard> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("No shards to concatenate");
        }
        ImageSpec spec = shards.get(0).trainingSpec();
        int[] starts = new int[shards.size() + 1];
        for (int i = 0; i < shards.size(); i++) {
            if (!shards.get(i).trainingSpec().equals(spec)) {
                throw new IllegalArgumentException("Shard " + shards.get(i).dir() + " has images "
                        + shards.get(i).trainingSpec() + ", the first shard has " + spec);
            }
            starts[i + 1] = starts[i] + shards.get(i).count();
        }
        return new TrainingSet() {
            public String name() {
                return "all-" + shards.size() + "-shards";
            }

            public ImageSpec spec() {
                return spec;
            }

            public int count() {
                return starts[shards.size()];
            }

            private int shardOf(int index) {
                int s = java.util.Arrays.binarySearch(starts, index);
                return s >= 0 ? s : -s - 2;
            }

            public void imageToFloat(int index, float[] dst, int offset) {
                int s = shardOf(index);
                shards.get(s).trainingToFloat(index - starts[s], dst, offset);
            }

            public String caption(int index) {
                int s = shardOf(index);
                return shards.get(s).caption(index - starts[s]);
            }
        };
    }
}
