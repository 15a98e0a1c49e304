package org.parisjava.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * A training step run in a sub-manager must leave nothing behind on the model's manager. DJL
 * attaches an op's result to its first operand's manager, so an activation computed from a
 * parameter first would otherwise live (with its autograd graph) as long as the model: the router
 * leaked about 15 MiB per demo step that way, until the run was killed for memory.
 */
class StepMemoryTest {

    private static int arraysAfterSteps(NDManager root, Block model, NDList inputsTemplate, int steps) {
        for (int i = 0; i < steps; i++) {
            try (NDManager s = root.newSubManager()) {
                NDList in = new NDList();
                for (NDArray a : inputsTemplate) {
                    in.add(a.duplicate());
                }
                in.attach(s);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = model.forward(new ParameterStore(s, false), in, true).singletonOrThrow();
                    gc.backward(out.square().mean());
                }
            }
        }
        return root.getManagedArrays().size();
    }

    @Test
    void routerStepsLeaveNothingOnTheModelsManager() {
        Engine.getInstance().setRandomSeed(5);
        RouterConfig c = RouterConfig.of("smoke");
        try (NDManager root = NDManager.newBaseManager(); NDManager inputs = NDManager.newBaseManager()) {
            Router r = Router.create(c);
            r.initialize(root, DataType.FLOAT32, r.inputShapes(2));
            NDList in = new NDList(inputs.randomNormal(new Shape(2, c.inChannels(), c.imageSize(), c.imageSize())),
                    inputs.create(new float[] {0.2f, 0.7f}));
            int afterOne = arraysAfterSteps(root, r, in, 1);
            assertEquals(afterOne, arraysAfterSteps(root, r, in, 3), "router steps leak arrays onto the model's manager");
        }
    }

    @Test
    void ditStepsLeaveNothingOnTheModelsManager() {
        Engine.getInstance().setRandomSeed(5);
        DiTConfig c = DiTConfig.of("smoke");
        try (NDManager root = NDManager.newBaseManager(); NDManager inputs = NDManager.newBaseManager()) {
            DiT dit = DiTTest.initialized(root, c);
            NDList in = DiTTest.inputs(inputs, c, 2);
            int afterOne = arraysAfterSteps(root, dit, in, 1);
            assertEquals(afterOne, arraysAfterSteps(root, dit, in, 3), "DiT steps leak arrays onto the model's manager");
        }
    }
}
