package io.geolightning.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.ModelSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java caller who builds a network with {@code ModelFactory.build} (not {@code buildInitialized}) and loads weights
 * into it, or reads its tensors, gets the library's one-line {@link ModelException} naming the call that initialises
 * it, not DJL's {@code UninitializedParameterException} from the first parameter.
 */
class UninitialisedNetworkTest {

    @Test
    void loadingIntoOrReadingAnUninitialisedNetworkIsRefusedInOneLine(@TempDir Path tmp) {
        ModelSpec spec = ModelSpec.of(Architecture.RESNET18, 3, 4, 32);
        Path npz = tmp.resolve("resnet18.npz");
        try (NDManager m = NDManager.newBaseManager()) {
            Block trained = ModelFactory.buildInitialized(spec, m);
            PretrainedWeights.load(trained, writeWeights(trained, npz), null); // an initialised network loads them

            Block fresh = ModelFactory.build(spec);
            ModelException e = assertThrows(ModelException.class, () -> PretrainedWeights.load(fresh, npz, null));
            assertTrue(e.getMessage().startsWith("resnet18.npz: the network is not initialised; build it with"
                    + " ModelFactory.buildInitialized(spec, manager)"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            e = assertThrows(ModelException.class, () -> PretrainedWeights.tensors(fresh));
            assertTrue(e.getMessage().startsWith("PretrainedWeights.tensors: the network is not initialised"),
                    e.getMessage());
        }
    }

    private static Path writeWeights(Block network, Path file) {
        NDList list = new NDList();
        PretrainedWeights.tensors(network).forEach((name, array) -> {
            NDArray a = array.duplicate();
            a.setName(name);
            list.add(a);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.NPZ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
