package org.parisjava.train;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stable, readable names for a block's parameters, as paths through the block tree:
 * {@code blocks.3.attn.qkv.weight}. DJL names children {@code "%02d" + name} ("01blocks"); the
 * index prefix is dropped, and where siblings would then collide (a SequentialBlock's
 * "01DiTBlock", "02DiTBlock") the zero-based position is used instead, as PyTorch's ModuleList
 * does. The names depend only on the block's structure, so they are the same in every process.
 */
public final class ParameterNames {
    private ParameterNames() {
    }

    /** Every parameter of {@code block} by its path, in DJL's parameter order. */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            put(out, prefix + p.getValue().getName(), p.getValue());
        }
        BlockList children = block.getChildren();
        String[] names = new String[children.size()];
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            String raw = children.get(i).getKey();
            String idx = String.format(Locale.ROOT, "%02d", i + 1);
            names[i] = raw.startsWith(idx) ? raw.substring(idx.length()) : raw;
            counts.merge(names[i], 1, Integer::sum);
        }
        for (int i = 0; i < names.length; i++) {
            String name = names[i].isEmpty() || counts.get(names[i]) > 1 ? Integer.toString(i) : names[i];
            collect(children.get(i).getValue(), prefix + name + ".", out);
        }
    }

    private static void put(Map<String, Parameter> out, String name, Parameter p) {
        if (out.put(name, p) != null) {
            throw new IllegalStateException("Two parameters map to the name " + name);
        }
    }
}
