package org.parisjava.data;

import java.util.List;

/**
 * What a shard holds, written last so that a shard without a manifest is known to be incomplete.
 *
 * @param cluster        the cluster this shard belongs to
 * @param count          number of samples
 * @param channels       image channels
 * @param height         image height
 * @param width          image width
 * @param sha256         SHA-256 over images.u8 then samples.jsonl
 * @param source         name of the dataset the samples came from
 * @param seed           seed of the run that wrote the shard
 * @param attributeNames evaluation attributes the samples carry
 */
public record ShardManifest(int cluster, long count, int channels, int height, int width, String sha256,
                            String source, long seed, List<String> attributeNames) {
    public static final String FILE = "manifest.json";
    public static final String IMAGES = "images.u8";
    public static final String SAMPLES = "samples.jsonl";

    public ImageSpec spec() {
        return new ImageSpec(channels, height, width);
    }
}
