package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * GroupNorm (Wu and He, arXiv 1803.08494) over (B, C, H, W): the C channels fall into G groups, each
 * group of each image is normalized over its C/G x H x W values, then every channel gets its own
 * scale and shift ({@code prefix.weight}, {@code prefix.bias}, (C)). PyTorch's {@code nn.GroupNorm}.
 *
 * <p>DJL 0.35 has no group norm; this is a layer norm over the (B, G, C/G*H*W) view (the same
 * statistics) followed by the per-channel affine. Not thread-safe: it caches the unit weights of
 * that layer norm per group size.
 */
public final class GroupNormLayer {
    private final NDArray scale; // (1, C, 1, 1)
    private final NDArray shift; // (1, C, 1, 1)
    private final int channels;
    private final int groups;
    private final float eps;
    private final Map<Long, NDArray[]> unit = new HashMap<>();

    private GroupNormLayer(NDArray weight, NDArray bias, int channels, int groups, float eps) {
        this.channels = channels;
        this.groups = groups;
        this.eps = eps;
        this.scale = weight == null ? null : weight.reshape(1, channels, 1, 1);
        this.shift = bias == null ? null : bias.reshape(1, channels, 1, 1);
    }

    /**
     * Claims {@code prefix.weight} and {@code prefix.bias} (C).
     *
     * @throws IllegalArgumentException if {@code groups} does not divide {@code channels}
     */
    public static GroupNormLayer load(WeightSource weights, String prefix, int channels, int groups, float eps) {
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm " + prefix + ": " + groups + " groups do not divide "
                    + channels + " channels");
        }
        return new GroupNormLayer(weights.take(prefix + ".weight", channels), weights.take(prefix + ".bias", channels),
                channels, groups, eps);
    }

    public NDArray forward(NDArray x) {
        Shape s = x.getShape(); // (B, C, H, W)
        if (s.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm expects " + channels + " channels, got " + s);
        }
        long n = s.size() / (s.get(0) * groups);
        NDArray[] ones = unit.computeIfAbsent(n, k -> {
            NDManager m = scale.getManager();
            return new NDArray[] {m.ones(new Shape(k), scale.getDataType()), m.zeros(new Shape(k), scale.getDataType())};
        });
        try (NDArray grouped = x.reshape(s.get(0), groups, n); // (B, G, C/G*H*W)
             NDArray normed = grouped.getNDArrayInternal().layerNorm(grouped, new Shape(n), ones[0], ones[1], eps)
                     .singletonOrThrow();
             NDArray back = normed.reshape(s)) { // (B, C, H, W)
            return back.mul(scale).addi(shift); // (B, C, H, W)
        }
    }
}
