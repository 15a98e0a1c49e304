package org.parisjava.infer.released;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parisjava.io.HfModelFolder;
import org.parisjava.train.ParameterNames;

/**
 * THE table from the released Paris weights' tensor names to the project's parameter names
 * ({@link ParameterNames} paths), with the few layout changes a tensor needs on the way. It is
 * written from the tensor names of a public inference port that loads non-strictly, so it may need
 * correcting against the real files: change a line here, nothing else.
 *
 * <p>{@code {i}} stands for a block index. Transforms: {@code COPY} as stored; {@code PATCH_IN} a
 * convolution kernel (D, C, p, p) read as the linear patchify (D, C p p); {@code QUERY} and
 * {@code KEY_VALUE} the first third and the last two thirds of PyTorch's fused
 * {@code in_proj_weight} (rows q, k, v); {@code PATCH_OUT} the final linear's rows from DiT's
 * (p, p, C) order to the project's (C, p, p).
 */
public final class ReleasedNames {

    /** How a released tensor becomes a project parameter. */
    public enum Transform { COPY, PATCH_IN, QUERY, KEY_VALUE, PATCH_OUT }

    /** One line of the table. */
    public record Rule(String released, String project, Transform transform) {
    }

    /** Expert (DiT-XL/2 with AdaLN-Single): released name -> project name. */
    public static final List<Rule> EXPERT = List.of(
            rule("patch_embed.proj.weight", "x_embedder.proj.weight", Transform.PATCH_IN),
            rule("patch_embed.proj.bias", "x_embedder.proj.bias"),
            rule("pos_embed", "x_embedder.pos_embed"),
            rule("time_embed.mlp.0.weight", "t_embedder.fc1.weight"),
            rule("time_embed.mlp.0.bias", "t_embedder.fc1.bias"),
            rule("time_embed.mlp.2.weight", "t_embedder.fc2.weight"),
            rule("time_embed.mlp.2.bias", "t_embedder.fc2.bias"),
            rule("t_block.1.weight", "t_block.weight"),
            rule("t_block.1.bias", "t_block.bias"),
            rule("text_proj.weight", "y_embedder.weight"),
            rule("text_proj.bias", "y_embedder.bias"),
            rule("layers.{i}.scale_shift_table", "blocks.{i}.scale_shift_table"),
            rule("layers.{i}.attn.in_proj_weight", "blocks.{i}.attn.qkv.weight"),
            rule("layers.{i}.attn.in_proj_bias", "blocks.{i}.attn.qkv.bias"),
            rule("layers.{i}.attn.out_proj.weight", "blocks.{i}.attn.proj.weight"),
            rule("layers.{i}.attn.out_proj.bias", "blocks.{i}.attn.proj.bias"),
            rule("layers.{i}.cross_attn.in_proj_weight", "blocks.{i}.cross_attn.q.weight", Transform.QUERY),
            rule("layers.{i}.cross_attn.in_proj_weight", "blocks.{i}.cross_attn.kv.weight", Transform.KEY_VALUE),
            rule("layers.{i}.cross_attn.in_proj_bias", "blocks.{i}.cross_attn.q.bias", Transform.QUERY),
            rule("layers.{i}.cross_attn.in_proj_bias", "blocks.{i}.cross_attn.kv.bias", Transform.KEY_VALUE),
            rule("layers.{i}.cross_attn.out_proj.weight", "blocks.{i}.cross_attn.proj.weight"),
            rule("layers.{i}.cross_attn.out_proj.bias", "blocks.{i}.cross_attn.proj.bias"),
            rule("layers.{i}.mlp.0.weight", "blocks.{i}.mlp.fc1.weight"),
            rule("layers.{i}.mlp.0.bias", "blocks.{i}.mlp.fc1.bias"),
            rule("layers.{i}.mlp.2.weight", "blocks.{i}.mlp.fc2.weight"),
            rule("layers.{i}.mlp.2.bias", "blocks.{i}.mlp.fc2.bias"),
            rule("final_layer.scale_shift_table", "final_layer.scale_shift_table"),
            rule("final_layer.linear.weight", "final_layer.linear.weight", Transform.PATCH_OUT),
            rule("final_layer.linear.bias", "final_layer.linear.bias", Transform.PATCH_OUT));

    /** Router (DiT-B/2 with AdaLN-Zero, a CLS token and the head Linear-GELU-LayerNorm-GELU-Linear). */
    public static final List<Rule> ROUTER = List.of(
            rule("patch_embed.proj.weight", "x_embedder.proj.weight", Transform.PATCH_IN),
            rule("patch_embed.proj.bias", "x_embedder.proj.bias"),
            rule("pos_embed", "x_embedder.pos_embed"),
            rule("cls_token", "cls_token"),
            rule("time_embed.mlp.0.weight", "t_embedder.fc1.weight"),
            rule("time_embed.mlp.0.bias", "t_embedder.fc1.bias"),
            rule("time_embed.mlp.2.weight", "t_embedder.fc2.weight"),
            rule("time_embed.mlp.2.bias", "t_embedder.fc2.bias"),
            rule("layers.{i}.attn.in_proj_weight", "blocks.{i}.attn.qkv.weight"),
            rule("layers.{i}.attn.in_proj_bias", "blocks.{i}.attn.qkv.bias"),
            rule("layers.{i}.attn.out_proj.weight", "blocks.{i}.attn.proj.weight"),
            rule("layers.{i}.attn.out_proj.bias", "blocks.{i}.attn.proj.bias"),
            rule("layers.{i}.mlp.0.weight", "blocks.{i}.mlp.fc1.weight"),
            rule("layers.{i}.mlp.0.bias", "blocks.{i}.mlp.fc1.bias"),
            rule("layers.{i}.mlp.2.weight", "blocks.{i}.mlp.fc2.weight"),
            rule("layers.{i}.mlp.2.bias", "blocks.{i}.mlp.fc2.bias"),
            rule("layers.{i}.adaLN_modulation.1.weight", "blocks.{i}.adaLN_modulation.weight"),
            rule("layers.{i}.adaLN_modulation.1.bias", "blocks.{i}.adaLN_modulation.bias"),
            rule("head.0.weight", "head.fc1.weight"),
            rule("head.0.bias", "head.fc1.bias"),
            rule("head.2.weight", "head.norm.gamma"),
            rule("head.2.bias", "head.norm.beta"),
            rule("head.4.weight", "head.fc2.weight"),
            rule("head.4.bias", "head.fc2.bias"));

    private ReleasedNames() {
    }

    private static Rule rule(String released, String project) {
        return new Rule(released, project, Transform.COPY);
    }

    private static Rule rule(String released, String project, Transform t) {
        return new Rule(released, project, t);
    }

    /** The table with {@code {i}} expanded for blocks 0 .. depth - 1, keyed by project name. */
    static Map<String, Rule> expand(List<Rule> table, int depth) {
        Map<String, Rule> out = new LinkedHashMap<>();
        for (Rule r : table) {
            int n = r.project().contains("{i}") ? depth : 1;
            for (int i = 0; i < n; i++) {
                String idx = Integer.toString(i);
                Rule e = new Rule(r.released().replace("{i}", idx), r.project().replace("{i}", idx), r.transform());
                if (out.put(e.project(), e) != null) {
                    throw new IllegalStateException("Two rules fill project parameter " + e.project());
                }
            }
        }
        return out;
    }

    /**
     * Fills every parameter of the initialized {@code block} from {@code folder} through {@code table},
     * then checks that the folder holds no tensor the table did not use.
     *
     * @param depth    blocks of the model (expands {@code {i}})
     * @param patch    patch side p
     * @param channels latent channels C
     * @throws IllegalArgumentException naming the tensor and its file when one is missing, misshapen
     *                                  or unexpected, or the project parameter no rule fills
     */
    static void load(Block block, HfModelFolder folder, List<Rule> table, int depth, int patch, int channels) {
        Map<String, Rule> rules = expand(table, depth);
        Map<String, Parameter> params = ParameterNames.of(block);
        List<String> unfilled = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!rules.containsKey(name)) {
                unfilled.add(name);
            }
        }
        if (!unfilled.isEmpty()) {
            throw new IllegalStateException("The name table has no rule for project parameter(s) " + unfilled
                    + " (model loaded from " + folder.dir() + ")");
        }
        NDArray first = params.values().iterator().next().getArray();
        try (NDManager tmp = first.getManager().newSubManager()) {
            Map<String, NDArray> read = new HashMap<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Rule r = rules.get(e.getKey());
                NDArray dst = e.getValue().getArray();
                long[] stored = storedShape(r, dst.getShape(), patch, channels);
                NDArray src = read.get(r.released());
                if (src == null) {
                    src = folder.take(r.released(), tmp, stored);
                    read.put(r.released(), src);
                } else if (!src.getShape().equals(new Shape(stored))) {
                    throw new IllegalArgumentException("Tensor " + r.released() + " in " + folder.dir()
                            + " has shape " + src.getShape() + ", parameter " + r.project() + " needs "
                            + new Shape(stored));
                }
                try (NDArray v = convert(r.transform(), src, dst.getShape(), patch, channels)) {
                    dst.set(v.toType(dst.getDataType(), false).toFloatArray());
                }
            }
        }
        folder.finish();
    }

    /**
     * The released tensors an initialized {@code block} needs, by name with their stored shapes: what a
     * folder in the released layout holds for this model (used to write random-weight folders).
     */
    public static Map<String, long[]> releasedShapes(Block block, List<Rule> table, int depth, int patch,
                                                     int channels) {
        Map<String, Rule> rules = expand(table, depth);
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
            Rule r = rules.get(e.getKey());
            if (r == null) {
                throw new IllegalStateException("The name table has no rule for project parameter " + e.getKey());
            }
            long[] stored = storedShape(r, e.getValue().getArray().getShape(), patch, channels);
            out.putIfAbsent(r.released(), stored);
        }
        return out;
    }

    /** The shape the released file stores for a project parameter of shape {@code p}. */
    private static long[] storedShape(Rule r, Shape p, int patch, int channels) {
        long[] s = p.getShape().clone();
        switch (r.transform()) {
            case PATCH_IN:
                return new long[] {s[0], channels, patch, patch};
            case QUERY:
                s[0] *= 3;
                return s;
            case KEY_VALUE:
                s[0] = s[0] / 2 * 3;
                return s;
            default:
                return s;
        }
    }

    private static NDArray convert(Transform t, NDArray src, Shape target, int patch, int channels) {
        switch (t) {
            case PATCH_IN:
                return src.reshape(target); // (D, C p p), the patchify order (C, row, column)
            case QUERY: {
                long d = src.getShape().get(0) / 3;
                return src.get(new NDIndex("0:" + d)); // rows of q
            }
            case KEY_VALUE: {
                long d = src.getShape().get(0) / 3;
                return src.get(new NDIndex(d + ":")); // rows of k then v
            }
            case PATCH_OUT: {
                long rest = src.getShape().dimension() == 2 ? src.getShape().get(1) : 1;
                try (NDArray r = src.reshape(patch, patch, channels, rest); // (p, p, C, D)
                     NDArray tr = r.transpose(2, 0, 1, 3)) { // (C, p, p, D)
                    return tr.reshape(target); // (C p p, D) or (C p p)
                }
            }
            default:
                return src.duplicate();
        }
    }
}
