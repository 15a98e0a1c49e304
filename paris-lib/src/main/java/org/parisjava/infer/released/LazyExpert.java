package org.parisjava.infer.released;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.Function;
import org.parisjava.model.DiT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An expert that reads its weights on its first forward pass, so a sampling run holds only the experts
 * the router actually picked. Input and output as {@link DiT}. {@link #release()} frees the weights;
 * the next forward reads them again.
 */
final class LazyExpert extends AbstractBlock {
    private static final Logger LOG = LoggerFactory.getLogger(LazyExpert.class);
    private static final byte VERSION = 1;

    private final int index;
    private final Function<NDManager, DiT> loader;
    private final NDManager parent;
    private NDManager manager;
    private DiT model;

    /**
     * @param loader builds and fills the expert on the manager it is given (the weights' device)
     * @param parent the manager whose device holds the weights
     */
    LazyExpert(int index, NDManager parent, Function<NDManager, DiT> loader) {
        super(VERSION);
        this.index = index;
        this.parent = parent;
        this.loader = loader;
    }

    boolean loaded() {
        return model != null;
    }

    /** The expert, read now if it was not yet. */
    synchronized DiT model() {
        if (model == null) {
            long start = System.nanoTime();
            NDManager m = parent.newSubManager();
            try {
                model = loader.apply(m);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
            manager = m;
            LOG.info("Expert {} loaded in {} ms", index, (System.nanoTime() - start) / 1_000_000);
        }
        return model;
    }

    /** Frees the weights (offloading to disk); the next forward reads them again. */
    synchronized void release() {
        if (manager != null) {
            manager.close();
            manager = null;
            model = null;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return model().forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the weights come from the folder on first use
    }

    @Override
    public String toString() {
        return "LazyExpert(" + index + (model == null ? ", not loaded)" : ", loaded)");
    }
}
