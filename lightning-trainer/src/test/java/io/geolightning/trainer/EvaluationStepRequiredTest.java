package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Trainer.test}/{@code validate} of a module without {@code testStep}/{@code validationStep} is refused with
 * why, as Lightning's "No test_step() method defined to run Trainer.test", instead of returning no metric at all.
 */
class EvaluationStepRequiredTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void testWithoutTestStepIsRefusedAfterFit() {
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(1).enableProgressBar(false).build()) {
            trainer.fit(module, BLOBS.train(), BLOBS.val());
            TrainerException e = assertThrows(TrainerException.class, () -> trainer.test(module, BLOBS.val()));
            assertTrue(e.getMessage().startsWith("test(): ") && e.getMessage().contains("has no testStep(Batch, int)")
                    && e.getMessage().contains("override testStep"), e.getMessage());
            // the module's validationStep is there: validate() scores it
            Map<String, Double> val = trainer.validate(module, BLOBS.val());
            assertTrue(val.containsKey("val_loss"), val.toString());
        }
    }

    @Test
    void validateWithoutValidationStepIsRefused() {
        LightningModule module = new LightningModule(new SequentialBlock().add(Linear.builder().setUnits(2).build())) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                return Loss.softmaxCrossEntropyLoss().evaluate(batch.getLabels(), forward(batch.getData()));
            }

            @Override
            public void testStep(Batch batch, int batchIdx) {
                log("test_seen", 1.0);
            }

            @Override
            public OptimizerConfig configureOptimizers() {
                return OptimizerConfig.of(Adam.builder().lr(0.01).build());
            }
        };
        try (module; Trainer trainer = Trainer.builder().enableProgressBar(false).build()) {
            assertEquals(Map.of("test_seen", 1.0), trainer.test(module, BLOBS.val()));
            TrainerException e = assertThrows(TrainerException.class, () -> trainer.validate(module, BLOBS.val()));
            assertTrue(e.getMessage().contains("has no validationStep(Batch, int)"), e.getMessage());
        }
    }
}
