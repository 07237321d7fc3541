package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validating several times per epoch ({@code valCheckInterval} 0.25: after batches 2, 4, 6 and 8 of the 8 batches
 * of an epoch), checkpointing and early stopping act after every validation, as in Lightning, and a stop requested
 * mid-epoch ends the epoch there.
 */
class ValidationIntervalTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.5).trainSplit(128, 21, 16).valSplit(64, 22, 32);

    /** Logs a scripted "score" per validation, chosen by the global step (so a resumed run keeps to the script). */
    static final class StepScripted extends MlpModule {
        private final double[] script;

        /** @param script the score of the validation after global step 2 (index 0), 4 (index 1), ... */
        StepScripted(double... script) {
            super(8, 2, () -> Adam.builder().lr(0.02).build());
            this.script = script;
        }

        @Override
        public void onValidationEpochEnd() {
            log("score", script[(int) (globalStep() / 2) - 1]);
        }
    }

    /** Records the steps of the epoch-end hooks. */
    static final class EpochEnds implements Callback {
        final List<Long> steps = new ArrayList<>();

        @Override
        public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
            steps.add(trainer.globalStep());
        }
    }

    private static Trainer.Builder quarterEpochs(int maxEpochs, Callback... callbacks) {
        return Trainer.builder().maxEpochs(maxEpochs).seed(3).deterministic(true).numSanityValSteps(0)
                .valCheckInterval(BatchLimit.fraction(0.25)).callbacks(callbacks).enableProgressBar(false);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The best score (0.3) is the second validation of epoch 0: that mid-epoch checkpoint is the best, named by its
     * epoch and step, and resuming from it trains the rest of epoch 0 and epoch 1 (16 steps in all).
     */
    @Test
    void theBestMidEpochValidationIsTheBestCheckpointAndResumes(@TempDir Path tmp) throws Exception {
        double[] script = {0.9, 0.3, 0.6, 0.7, 0.5, 0.4, 0.8, 0.45};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp.resolve("a")).monitor("score").mode(Mode.MIN)
                .saveTopK(1).saveLast(true).build();
        try (StepScripted m = new StepScripted(script)) {
            Trainer t = quarterEpochs(2, ckpt).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(8, t.validationRuns());
        }
        assertEquals(tmp.resolve("a/epoch=0-step=4.ckpt"), ckpt.bestModelPath());
        assertEquals(0.3, ckpt.bestModelScore(), 1e-12);
        assertEquals(List.of("epoch=0-step=4.ckpt", "last.ckpt"), names(tmp.resolve("a")));
        CheckpointMeta best = CheckpointIO.read(ckpt.bestModelPath()).meta();
        assertEquals(0, best.epoch(), "resumes in epoch 0");
        assertEquals(4, best.batchInEpoch(), "after its 4 batches");
        assertEquals(0.3, best.metrics().get("score"), 1e-12);
        CheckpointMeta last = CheckpointIO.read(ckpt.lastModelPath()).meta();
        assertEquals(2, last.epoch());
        assertEquals(16, last.globalStep());

        ModelCheckpoint again = ModelCheckpoint.builder().dirpath(tmp.resolve("b")).monitor("score").mode(Mode.MIN)
                .saveTopK(1).build();
        EpochEnds ends = new EpochEnds();
        try (StepScripted m = new StepScripted(script)) {
            Trainer t = quarterEpochs(2, again, ends).ckptPath(ckpt.bestModelPath()).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(16, t.globalStep());
            assertEquals(6, t.validationRuns(), "after steps 6, 8, 10, 12, 14 and 16");
        }
        assertEquals(List.of(8L, 16L), ends.steps);
        assertEquals(ckpt.bestModelPath().toAbsolutePath().normalize(), again.bestModelPath(),
                "the resumed run's best is still the checkpoint it resumed from");
    }

    /**
     * A mid-epoch checkpoint records its epoch's batches (8 of 16 samples here), and resuming it on batches of another
     * size is refused: skipping its 4 batches of 8 would skip 32 samples instead of the 64 it trained on, and train 32
     * of them twice, silently (data.batchSize changed between the runs).
     */
    @Test
    void aMidEpochCheckpointResumesOnlyOnBatchesOfItsSize(@TempDir Path tmp) throws Exception {
        double[] script = {0.9, 0.3, 0.6, 0.7, 0.5, 0.4, 0.8, 0.45};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MIN).saveTopK(1)
                .build();
        try (StepScripted m = new StepScripted(script)) {
            quarterEpochs(1, ckpt).build().fit(m, BLOBS.train(), BLOBS.val());
        }
        CheckpointMeta meta = CheckpointIO.read(ckpt.bestModelPath()).meta();
        assertEquals(4, meta.batchInEpoch());
        assertEquals(8, meta.batchesPerEpoch());
        assertEquals(16, meta.batchSize());
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
             StepScripted m = new StepScripted(script)) {
            var halfBatches = Blobs.make(manager, 128, 4, 1.5, 21, 8, true);
            Trainer t = quarterEpochs(1).ckptPath(ckpt.bestModelPath()).build();
            TrainerException e = org.junit.jupiter.api.Assertions.assertThrows(TrainerException.class,
                    () -> t.fit(m, halfBatches, BLOBS.val()));
            assertEquals("ckptPath", e.setting());
            assertEquals("ckptPath " + ckpt.bestModelPath() + ": saved after batch 4 of the 8 batches of 16 samples of"
                    + " epoch 0, but this run's epoch has 16 batches of 8: resuming there would train some of the"
                    + " epoch's samples twice and skip others; resume with the batch size and data that saved it, or"
                    + " from a checkpoint saved at an epoch's end", e.getMessage());
        }
    }

    /**
     * Patience 2 counted in validations: the first validation is the best, the next two do not improve, so training
     * stops after the third validation, at step 6 of epoch 0's 8; the epoch ends there (its end hooks run once, no
     * further validation), every validation is a checkpoint and a metrics.csv row, and last.ckpt resumes at batch 6
     * to finish the run exactly as an uninterrupted run without early stopping.
     */
    @Test
    void earlyStoppingCountsValidationsAndStopsMidEpoch(@TempDir Path tmp) throws Exception {
        double[] script = {0.5, 0.6, 0.55, 0.1, 0.1, 0.1, 0.1, 0.1};
        EarlyStopping es = EarlyStopping.builder("score").patience(2).build();
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp.resolve("ckpt")).monitor("score")
                .mode(Mode.MIN).saveTopK(-1).saveLast(true).build();
        EpochEnds ends = new EpochEnds();
        CsvLogger csv = new CsvLogger(tmp, "csv");
        try (StepScripted m = new StepScripted(script)) {
            Trainer t = quarterEpochs(2, ckpt, es, ends).loggers(csv).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            t.close();
            assertEquals(6, t.globalStep());
            assertEquals(3, t.validationRuns());
            assertTrue(t.shouldStop());
        }
        assertEquals(List.of(6L), ends.steps, "one epoch, cut after its third validation");
        assertEquals(0, es.stoppedEpoch());
        assertTrue(es.stopReason().contains("for 2 validation(s)") && es.stopReason().contains("at epoch 0 step 2")
                && es.stopReason().contains("stopping at epoch 0 step 6"), es.stopReason());
        assertEquals(List.of("epoch=0-step=2.ckpt", "epoch=0-step=4.ckpt", "epoch=0-step=6.ckpt", "last.ckpt"),
                names(tmp.resolve("ckpt")));
        List<String> rows = Files.readAllLines(tmp.resolve("csv/version_0/metrics.csv"));
        int col = List.of(rows.get(0).split(",", -1)).indexOf("score");
        assertEquals(List.of("0.5", "0.6", "0.55"), rows.stream().skip(1).map(r -> r.split(",", -1)[col])
                .filter(s -> !s.isEmpty()).map(s -> String.valueOf(Double.parseDouble(s))).toList());
        CheckpointMeta last = CheckpointIO.read(ckpt.lastModelPath()).meta();
        assertEquals(0, last.epoch());
        assertEquals(6, last.batchInEpoch());

        List<float[]> uninterrupted;
        try (StepScripted m = new StepScripted(script)) {
            quarterEpochs(2).build().fit(m, BLOBS.train(), BLOBS.val());
            uninterrupted = CheckpointResumeTest.weights(m);
        }
        try (StepScripted m = new StepScripted(script)) {
            Trainer t = quarterEpochs(2).ckptPath(ckpt.lastModelPath()).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(16, t.globalStep());
            List<float[]> w = CheckpointResumeTest.weights(m);
            for (int i = 0; i < w.size(); i++) {
                assertArrayEquals(uninterrupted.get(i), w.get(i), 1e-6f, "parameter " + i);
            }
        }
    }

    /** Early stopping's patience runs on across the epoch boundary: 2 validations of epoch 0, then 0 of epoch 1. */
    @Test
    void earlyStoppingPatienceSpansEpochs() {
        double[] script = {0.9, 0.5, 0.6, 0.4, 0.45, 0.5, 0.1, 0.1};
        EarlyStopping es = EarlyStopping.builder("score").patience(2).build();
        try (StepScripted m = new StepScripted(script)) {
            Trainer t = quarterEpochs(2, es).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(12, t.globalStep(), "0.4 at step 8 is the best; steps 10 and 12 do not improve");
        }
        assertEquals(1, es.stoppedEpoch());
        assertEquals(0.4, es.bestScore(), 1e-12);
        assertEquals(0, es.bestEpoch());
    }

    /** {@code everyNEpochs} 2 holds for the mid-epoch checkpoints too: only epoch 1's validations are saved. */
    @Test
    void everyNEpochsAppliesToMidEpochCheckpoints(@TempDir Path tmp) throws Exception {
        double[] script = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MIN).saveTopK(-1)
                .everyNEpochs(2).build();
        try (StepScripted m = new StepScripted(script)) {
            quarterEpochs(2, ckpt).build().fit(m, BLOBS.train(), BLOBS.val());
        }
        assertEquals(List.of("epoch=1-step=10.ckpt", "epoch=1-step=12.ckpt", "epoch=1-step=14.ckpt",
                "epoch=1-step=16.ckpt"), names(tmp));
    }

    /**
     * A stop requested by a callback during a training batch ends the epoch after that batch, with one more
     * validation so the final weights are validated (and checkpointed), as Lightning does.
     */
    @Test
    void aStopRequestedInATrainingBatchEndsTheEpochAfterAValidation(@TempDir Path tmp) throws Exception {
        Callback stopAtBatch3 = new Callback() {
            @Override
            public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
                if (batchIdx == 2) {
                    trainer.requestStop("test stop after batch 3");
                }
            }
        };
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).build();
        EpochEnds ends = new EpochEnds();
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.02).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).numSanityValSteps(0).callbacks(stopAtBatch3, ckpt, ends)
                    .enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(3, t.globalStep());
            assertEquals(1, t.validationRuns());
        }
        assertEquals(List.of(3L), ends.steps);
        assertEquals(List.of("epoch=0-step=3.ckpt"), names(tmp));
        CheckpointMeta meta = CheckpointIO.read(tmp.resolve("epoch=0-step=3.ckpt")).meta();
        assertEquals(0, meta.epoch());
        assertEquals(3, meta.batchInEpoch(), "resumes after the 3 batches trained");
    }
}
