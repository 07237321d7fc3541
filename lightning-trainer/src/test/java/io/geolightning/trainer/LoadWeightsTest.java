package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lightning's {@code trainer.test(model, ckpt_path=best)} from Java: the trainer's {@code ckptPath} resumes a fit only,
 * so a fresh module of the same network loads the best checkpoint's weights with {@code loadWeights} and scores what
 * the trained one scored; a checkpoint of another network is refused naming the first parameter that differs.
 */
class LoadWeightsTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void aFreshModuleScoresTheCheckpointsWeights(@TempDir Path tmp) {
        ModelCheckpoint best = ModelCheckpoint.builder().dirpath(tmp.resolve("ck")).monitor("val_loss").build();
        Map<String, Double> trained;
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.05).build());
                Trainer t = Trainer.builder().maxEpochs(2).seed(1).defaultRootDir(tmp).callbacks(best)
                        .enableProgressBar(false).build()) {
            t.fit(module, BLOBS.train(), BLOBS.val());
            trained = t.validate(module, BLOBS.val());
        }
        try (MlpModule fresh = new MlpModule(8, 2, () -> Adam.builder().build());
                Trainer t = Trainer.builder().defaultRootDir(tmp).enableProgressBar(false).build()) {
            assertNotEquals(trained, t.validate(fresh, BLOBS.val()), "untrained weights score otherwise");
            fresh.loadWeights(best.bestModelPath());
            assertEquals(trained, t.validate(fresh, BLOBS.val()));
        }
        try (MlpModule wider = new MlpModule(16, 2, () -> Adam.builder().build())) {
            wider.initialize(new ai.djl.ndarray.types.Shape(1, 4));
            TrainerException e = assertThrows(TrainerException.class, () -> wider.loadWeights(best.bestModelPath()));
            assertTrue(e.getMessage().startsWith(best.bestModelPath() + ": checkpoint does not fit this model"),
                    e.getMessage());
        }
    }
}
