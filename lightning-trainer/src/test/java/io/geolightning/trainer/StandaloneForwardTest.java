package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.geolightning.trainer.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * A module called on its own, as a Lightning user calls {@code model(x)} before training: a network that no trainer
 * and no {@code initialize} call has initialised is refused in one line naming both ways to initialise it (it was
 * DJL's {@code UninitializedParameterException}); once initialised, it runs.
 */
class StandaloneForwardTest {

    @Test
    void forwardOfAnUninitialisedModuleNamesInitialize() {
        try (MlpModule module = new MlpModule(8, 3, () -> Adam.builder().build());
                NDManager m = NDManager.newBaseManager()) {
            NDList x = new NDList(m.ones(new Shape(2, 5)));
            TrainerException e = assertThrows(TrainerException.class, () -> module.forward(x));
            assertTrue(e.getMessage().contains(".forward(): the network is not initialised; call"
                    + " initialize(inputShapes) first"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            module.initialize(new Shape(2, 5));
            assertEquals(new Shape(2, 3), module.forward(x).singletonOrThrow().getShape());
        }
    }
}
