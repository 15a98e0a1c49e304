package org.parisjava.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.parisjava.io.HfModelFolder;

/**
 * Where a network's weights come from while it is built: a Hugging Face folder (each tensor claimed
 * by name with its expected shape, see {@link HfModelFolder#take}) or a {@link Counter} that only
 * records names and shapes. Building a network from a counter gives its exact parameter count and
 * weight list without allocating a single weight; the same code path then loads the real folder, so
 * the count and the loader cannot disagree.
 */
public interface WeightSource {

    /**
     * The tensor {@code name} with shape {@code shape} in the compute type, or null from a counter.
     *
     * @throws IllegalArgumentException naming the tensor and file if it is missing or shaped differently
     */
    NDArray take(String name, long... shape);

    /** True if the source holds {@code name}: lets a loader accept an older spelling of a tensor. */
    boolean has(String name);

    /** The manager that owns the loaded weights (null for a counter). */
    NDManager manager();

    /** Weights claimed from {@code folder} into {@code manager}. */
    static WeightSource of(HfModelFolder folder, NDManager manager) {
        return new WeightSource() {
            @Override
            public NDArray take(String name, long... shape) {
                return folder.take(name, manager, shape);
            }

            @Override
            public boolean has(String name) {
                return folder.has(name);
            }

            @Override
            public NDManager manager() {
                return manager;
            }
        };
    }

    /**
     * Random weights for benchmarks at full size without the real files: a tensor of two or more axes
     * is uniform in +-1/sqrt(fan-in) (PyTorch's default for linear and conv layers), a one-axis
     * {@code .weight} (a norm's scale) is 1, anything else (biases) uniform in +-0.01.
     */
    static WeightSource random(NDManager manager, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        return new WeightSource() {
            @Override
            public NDArray take(String name, long... shape) {
                ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(shape);
                if (shape.length == 1 && name.endsWith(".weight")) {
                    return manager.ones(s);
                }
                double bound = shape.length >= 2 ? 1.0 / Math.sqrt(s.size() / shape[0]) : 0.01;
                float[] v = new float[Math.toIntExact(s.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                return manager.create(v, s);
            }

            @Override
            public boolean has(String name) {
                return false;
            }

            @Override
            public NDManager manager() {
                return manager;
            }
        };
    }

    /** Records the name and shape of every tensor asked for; holds no weights. */
    final class Counter implements WeightSource {
        private final List<String> names = new ArrayList<>();
        private long parameters;

        @Override
        public NDArray take(String name, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            names.add(name);
            parameters += n;
            return null;
        }

        @Override
        public boolean has(String name) {
            return false;
        }

        @Override
        public NDManager manager() {
            return null;
        }

        /** The number of weights (scalars) asked for. */
        public long parameters() {
            return parameters;
        }

        /** The tensor names asked for, in order. */
        public List<String> names() {
            return Collections.unmodifiableList(names);
        }
    }
}
