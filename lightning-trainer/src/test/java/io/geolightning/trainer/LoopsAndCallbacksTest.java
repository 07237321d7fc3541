package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.LearningRateMonitor;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.callbacks.ProgressBar;
import io.geolightning.trainer.checkpoint.CheckpointIO;
import io.geolightning.trainer.checkpoint.CheckpointMeta;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Sgd;
import io.geolightning.trainer.optim.StepLr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LoopsAndCallbacksTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(3, 1.0).trainSplit(128, 1, 16).valSplit(64, 2, 32);

    /** Records the data-module life cycle. */
    static final class RecordingData implements LightningDataModule {
        final List<String> calls = new ArrayList<>();

        @Override
        public void prepareData() {
            calls.add("prepare");
        }

        @Override
        public void setup(Stage stage) {
            calls.add("setup:" + stage);
        }

        @Override
        public Dataset trainDataLoader() {
            return BLOBS.train();
        }

        @Override
        public Dataset valDataLoader() {
            return BLOBS.val();
        }

        @Override
        public Dataset testDataLoader() {
            return BLOBS.val();
        }

        @Override
        public Dataset predictDataLoader() {
            return BLOBS.val();
        }

        @Override
        public void teardown(Stage stage) {
            calls.add("teardown:" + stage);
        }
    }

    @Test
    void fitValidateTestPredictOnADataModule() {
        RecordingData dm = new RecordingData();
        try (MlpModule m = new MlpModule(8, 2, () -> Sgd.builder().lr(0.2).momentum(0.9).build()) {
                    @Override
                    public void testStep(ai.djl.training.dataset.Batch batch, int batchIdx) {
                        validationStep(batch, batchIdx);
                    }
                };
                NDManager out = NDManager.newBaseManager()) {
            List<String> batchEnds = new ArrayList<>();
            Callback batches = new Callback() {
                @Override
                public void onValidationBatchEnd(Trainer trainer, LightningModule module, Batch b, int idx) {
                    batchEnds.add("val:" + idx + ":" + b.getSize());
                }

                @Override
                public void onTestBatchEnd(Trainer trainer, LightningModule module, Batch b, int idx) {
                    batchEnds.add("test:" + idx + ":" + b.getSize());
                }
            };
            Trainer t = Trainer.builder().maxEpochs(3).seed(2).enableProgressBar(false).callbacks(batches).build();
            t.fit(m, dm);
            // 64 validation samples in batches of 32 after each of 3 epochs; the sanity check calls no batch hook
            assertEquals(Collections.nCopies(3, List.of("val:0:32", "val:1:32")).stream().flatMap(List::stream)
                    .toList(), batchEnds);
            batchEnds.clear();
            Map<String, Double> v = t.validate(m, dm);
            assertTrue(v.get("val_acc") > 0.85, v.toString());
            Map<String, Double> test = t.test(m, dm);
            assertEquals(List.of("val:0:32", "val:1:32", "test:0:32", "test:1:32"), batchEnds);
            assertEquals(v.get("val_acc"), test.get("val_acc"), 1e-9, "same data, same weights");
            List<NDList> preds = t.predict(m, dm, out);
            assertEquals(2, preds.size());
            assertEquals(new ai.djl.ndarray.types.Shape(32, 2), preds.get(0).head().getShape());
            assertEquals(List.of("prepare", "setup:FIT", "teardown:FIT", "prepare", "setup:VALIDATE", "teardown:VALIDATE",
                    "prepare", "setup:TEST", "teardown:TEST", "prepare", "setup:PREDICT", "teardown:PREDICT"), dm.calls);
            // a second fit restarts the counters
            t.fit(m, dm);
            assertEquals(3L * 8, t.globalStep());
        }
    }

    @Test
    void progressBarLearningRateMonitorAndMidEpochCheckpoint(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        LearningRateMonitor lrm = new LearningRateMonitor();
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("val_loss").saveTopK(-1)
                .filename("e{epoch}-s{step}").autoInsertMetricName(false).build();
        CsvLogger csv = new CsvLogger(tmp, "lr");
        try (MlpModule m = new MlpModule(8, 2,
                () -> Sgd.builder().schedule(new StepLr(0.4, 1, 0.5, true)).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).callbacks(bar, lrm, ckpt).loggers(csv)
                    .valCheckInterval(BatchLimit.fraction(0.5)).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            t.close();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Epoch 0: 8/8 ["), text);
        assertTrue(text.contains("Epoch 1: 8/8 ["), text);
        assertTrue(text.contains("it/s]") && text.contains("train_loss_step=") && text.contains("val_loss="), text);
        assertEquals(Map.of("lr-Sgd", 0.2), lrm.lastLearningRates());
        String csvText = Files.readString(tmp.resolve("lr/version_0/metrics.csv"));
        assertTrue(csvText.lines().findFirst().orElseThrow().contains("lr-Sgd"), csvText);
        // validation after 4 of 8 batches -> a mid-epoch checkpoint that resumes inside the epoch
        CheckpointMeta mid = CheckpointIO.read(tmp.resolve("e0-s4.ckpt")).meta();
        assertEquals(0, mid.epoch());
        assertEquals(4, mid.batchInEpoch());
        CheckpointMeta end = CheckpointIO.read(tmp.resolve("e0-s8.ckpt")).meta();
        assertEquals(1, end.epoch());
        assertEquals(0, end.batchInEpoch());
        assertNotNull(ckpt.bestModelPath());
        assertEquals(4, ckpt.bestKModels().size());

        // resuming from the mid-epoch checkpoint trains the remaining 4 batches of epoch 0, then epoch 1
        try (MlpModule m = new MlpModule(8, 2,
                () -> Sgd.builder().schedule(new StepLr(0.4, 1, 0.5, true)).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).ckptPath(tmp.resolve("e0-s4.ckpt"))
                    .enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(16, t.globalStep());
        }
    }
}
