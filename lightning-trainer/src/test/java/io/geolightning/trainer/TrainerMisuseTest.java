package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.optim.Adam;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Mistakes a Java user of the trainer makes, each refused with the trainer's one-line {@link TrainerException}
 * instead of what escaped before: a loss no gradient flows from (libtorch's "element 0 of tensors does not require
 * grad"), a logged array of several values (DJL's "The supplied Index does not produce a scalar"), a null callback or
 * data module (NullPointerException); a null {@link LogOptions} logs with the defaults, and {@code log(name, array)}
 * and {@code logDict(values)} log with them as Lightning's {@code self.log} and {@code self.log_dict} do.
 */
class TrainerMisuseTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    private static Trainer trainer(Callback... callbacks) {
        return Trainer.builder().maxEpochs(1).numSanityValSteps(0).enableProgressBar(false).callbacks(callbacks)
                .build();
    }

    @Test
    void aLossWithoutGradientIsRefusedNamingTheBatch() {
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                return super.trainingStep(batch, batchIdx).stopGradient();
            }
        }; Trainer t = trainer()) {
            refused(() -> t.fit(module, BLOBS.train(), null), "trainingStep's loss at epoch 0, batch 0 does not depend"
                    + " on any trainable parameter, so no gradient flows from it");
        }
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()); Trainer t = trainer()) {
            t.fit(module, BLOBS.train(), null); // the loss itself trains
            assertEquals(4, t.globalStep());
        }
    }

    @Test
    void nullCallbacksAndDataModulesAreRefused() {
        TrainerException e = assertThrows(TrainerException.class, () -> trainer((Callback) null));
        assertEquals("callbacks[0] is null (of 1); pass every callback built, or leave it out", e.getMessage());
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()); Trainer t = trainer()) {
            refused(() -> t.fit(module, (LightningDataModule) null), "fit(): the data module is null");
            refused(() -> t.validate(module, (LightningDataModule) null), "validate(): the data module is null");
        }
    }

    @Test
    void loggingAnArrayTakesOneValueAndDefaultsApply() {
        try (MlpModule vector = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void validationStep(Batch batch, int batchIdx) {
                log("logits", forward(batch.getData()).singletonOrThrow());
            }
        }; Trainer t = trainer()) {
            refused(() -> t.validate(vector, BLOBS.val()), "log('logits') got an array of shape (16, 2); log one"
                    + " value");
        }
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void validationStep(Batch batch, int batchIdx) {
                log("ones", batch.getManager().ones(new ai.djl.ndarray.types.Shape(1)));
                logDict(Map.of("two", 2.0));
                log("three", 3.0, null);
            }
        }; Trainer t = trainer()) {
            assertEquals(Map.of("ones", 1.0, "two", 2.0, "three", 3.0), t.validate(module, BLOBS.val()));
        }
    }

    private static void refused(Executable call, String start) {
        TrainerException e = assertThrows(TrainerException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
