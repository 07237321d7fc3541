package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit that fails in the module's own {@code trainingStep} keeps in {@code metrics.csv} what was logged before the
 * failure, as Lightning's {@code logger.finalize("failed")} does, even when the trainer is not closed.
 */
class FailedFitLogsTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void rowsLoggedBeforeTheFailureAreWritten(@TempDir Path tmp) throws Exception {
        CsvLogger csv = new CsvLogger(tmp, "failed");
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                if (currentEpoch() == 1 && batchIdx == 2) {
                    throw new IllegalStateException("boom in my trainingStep");
                }
                return super.trainingStep(batch, batchIdx);
            }
        };
        Trainer trainer = Trainer.builder().maxEpochs(3).loggers(csv).logEveryNSteps(1).enableProgressBar(false)
                .build();
        try (module) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> trainer.fit(module, BLOBS.train(), null));
            assertEquals("boom in my trainingStep", e.getMessage());
        }
        List<String> steps = Files.readAllLines(csv.metricsFile()).stream().skip(1)
                .map(line -> line.split(",", -1)[0]).toList();
        // 4 batches an epoch, logged at Lightning's steps: epoch 0's 0-3 and its epoch row (3), then epoch 1's 4 and 5
        assertEquals(List.of("0", "1", "2", "3", "3", "4", "5"), steps);
    }

    /** A callback failing in its own onException does not hide the run's failure, nor keep the others from hearing. */
    @Test
    void aCallbackFailingInOnExceptionDoesNotHideTheFailure() {
        List<String> heard = new java.util.ArrayList<>();
        Callback failing = new Callback() {
            @Override
            public void onException(Trainer trainer, LightningModule module, Throwable exception) {
                throw new IllegalArgumentException("my onException broke");
            }
        };
        Callback listening = listening(heard);
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("boom in my trainingStep");
            }
        };
        try (module; Trainer trainer = Trainer.builder().maxEpochs(1).callbacks(failing, listening)
                .enableProgressBar(false).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> trainer.fit(module, BLOBS.train(), null));
            assertEquals("boom in my trainingStep", e.getMessage());
            assertEquals("my onException broke", e.getSuppressed()[0].getMessage());
            assertEquals(List.of("boom in my trainingStep"), heard);
        }
    }

    /** validate, test and predict tell the callbacks of a failure too, as Lightning does for every entry point. */
    @Test
    void validateTestAndPredictTellTheCallbacksOfAFailure() {
        List<String> heard = new java.util.ArrayList<>();
        Callback listening = listening(heard);
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void validationStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("boom in validationStep");
            }

            @Override
            public void testStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("boom in testStep");
            }

            @Override
            public ai.djl.ndarray.NDList predictStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("boom in predictStep");
            }
        };
        try (module; Trainer trainer = Trainer.builder().callbacks(listening).enableProgressBar(false).build();
             ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertThrows(IllegalStateException.class, () -> trainer.validate(module, BLOBS.val()));
            assertThrows(IllegalStateException.class, () -> trainer.test(module, BLOBS.val()));
            assertThrows(IllegalStateException.class, () -> trainer.predict(module, BLOBS.val(), manager));
            assertEquals(List.of("boom in validationStep", "boom in testStep", "boom in predictStep"), heard);
        }
    }

    /** @return a callback adding each failure's message it hears to {@code heard} */
    private static Callback listening(List<String> heard) {
        return new Callback() {
            @Override
            public void onException(Trainer trainer, LightningModule module, Throwable exception) {
                heard.add(exception.getMessage());
            }
        };
    }
}
