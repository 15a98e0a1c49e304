package org.parisjava.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stable, readable parameter names for checkpoints: {@code blocks.3.attn.qkv.weight} rather than
 * DJL's generated {@code 05blocks.3_01attn_01qkv_weight}. DJL prefixes every child's name with
 * a two-digit position; that prefix is dropped and the path joined with dots.
 */
public final class ParameterPaths {

    private ParameterPaths() {
    }

    /** Every parameter of the block tree, in DJL's deterministic order, by dotted path. */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        for (Pair<String, Block> c : block.getChildren()) {
            collect(c.getValue(), prefix + stripPosition(c.getKey()) + ".", out);
        }
    }

    private static String stripPosition(String childName) {
        return childName.length() > 2 && Character.isDigit(childName.charAt(0)) && Character.isDigit(childName.charAt(1))
                ? childName.substring(2) : childName;
    }
}
