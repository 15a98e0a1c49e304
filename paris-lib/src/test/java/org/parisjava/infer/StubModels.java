package org.parisjava.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Velocity fields and a router with known formulas, counting their calls, for sampler and evaluation tests. */
public final class StubModels {
    private StubModels() {
    }

    /** v = a x + b t + g sum(text * mask), per row. Counts its forward calls. */
    public static final class StubVelocity extends AbstractBlock {
        final double a;
        final double b;
        final double g;
        public int calls;

        public StubVelocity(double a, double b, double g) {
            this.a = a;
            this.b = b;
            this.g = g;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            calls++;
            NDArray x = in.get(0); // (N, C, H, W)
            NDArray t = in.get(1).reshape(-1, 1, 1, 1); // (N, 1, 1, 1)
            NDArray text = in.get(2); // (N, L, Dt)
            NDArray mask = in.get(3).toType(DataType.FLOAT32, false).expandDims(2); // (N, L, 1)
            NDArray s = text.mul(mask).sum(new int[] {1, 2}).reshape(-1, 1, 1, 1); // (N, 1, 1, 1)
            return new NDList(x.mul((float) a).add(t.mul((float) b)).add(s.mul((float) g)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** logits_k = r_k mean(x) + q_k t. */
    public static final class StubRouter extends AbstractBlock {
        private final double[] r;
        private final double[] q;
        public int calls;

        public StubRouter(double[] r, double[] q) {
            this.r = r.clone();
            this.q = q.clone();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            calls++;
            NDArray x = in.get(0);
            long n = x.getShape().get(0);
            NDArray mean = x.reshape(n, -1).mean(new int[] {1}).reshape(n, 1); // (N, 1)
            NDArray t = in.get(1).reshape(n, 1); // (N, 1)
            NDManager m = x.getManager();
            NDArray ra = m.create(toFloat(r)).reshape(1, -1);
            NDArray qa = m.create(toFloat(q)).reshape(1, -1);
            return new NDList(mean.matMul(ra).add(t.matMul(qa))); // (N, K)
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), r.length)};
        }
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

}
