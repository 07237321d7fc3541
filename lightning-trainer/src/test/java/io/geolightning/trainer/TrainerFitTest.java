package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerFitTest {

    static NDManager data;

    @BeforeAll
    static void init() {
        data = NDManager.newBaseManager();
    }

    @AfterAll
    static void done() {
        data.close();
    }

    @Test
    void lossDecreasesAndAccuracyRises(@TempDir Path tmp) throws Exception {
        ArrayDataset train = Blobs.make(data, 512, 4, 1.0, 1, 32, true);
        ArrayDataset val = Blobs.make(data, 256, 4, 1.0, 2, 64, false);
        MetricsRecorder rec = new MetricsRecorder();
        CsvLogger csv = new CsvLogger(tmp, "blobs");
        try (MlpModule module = new MlpModule(16, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(5).seed(3).callbacks(rec).loggers(csv)
                        .logEveryNSteps(1).enableProgressBar(false).build()) {
            module.saveHyperparameters(Map.of("hidden", 16, "lr", 0.01));
            trainer.fit(module, train, val);
            List<Map<String, Double>> e = rec.epochs;
            assertEquals(5, e.size());
            double firstLoss = e.get(0).get("train_loss_epoch");
            double lastLoss = e.get(4).get("train_loss_epoch");
            assertTrue(lastLoss < firstLoss * 0.8, "loss " + firstLoss + " -> " + lastLoss);
            assertTrue(e.get(4).get("val_acc") > 0.9, "val_acc " + e.get(4).get("val_acc"));
            assertTrue(e.get(4).get("val_acc") >= e.get(0).get("val_acc") - 1e-9);
            assertEquals(5L * 16, trainer.globalStep());
        }
        Path dir = tmp.resolve("blobs").resolve("version_0");
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(lines.get(0).startsWith("step,epoch,"), lines.get(0));
        assertTrue(lines.get(0).contains("train_loss_step") && lines.get(0).contains("val_acc"), lines.get(0));
        assertTrue(lines.size() > 80, "rows " + lines.size());
        String yaml = Files.readString(dir.resolve("hparams.yaml"));
        assertTrue(yaml.contains("\"hidden\": 16"), yaml);
        // a second logger on the same root takes the next version
        assertEquals("version_1", new CsvLogger(tmp, "blobs").version());
    }

    @Test
    void nanLossStopsWithEpochAndStep() {
        ArrayDataset train = Blobs.make(data, 64, 2, 1.0, 1, 16, false);
        LightningModule module = new MlpModule(4, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public NDArray trainingStep(Batch batch, int batchIdx) {
                NDArray loss = super.trainingStep(batch, batchIdx);
                return batchIdx == 2 ? loss.mul(Float.NaN) : loss;
            }
        };
        Trainer trainer = Trainer.builder().maxEpochs(2).enableProgressBar(false).build();
        TrainerException e = assertThrows(TrainerException.class, () -> trainer.fit(module, train, null));
        assertTrue(e.getMessage().contains("loss is NaN at epoch 0, global step 2"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        module.close();
    }

    @Test
    void emptyOrMissingTrainLoaderIsAnError() {
        ArrayDataset empty = new ArrayDataset.Builder().setData(data.zeros(new ai.djl.ndarray.types.Shape(0, 2)))
                .optLabels(data.zeros(new ai.djl.ndarray.types.Shape(0))).setSampling(4, false).build();
        try (MlpModule module = new MlpModule(4, 2, () -> Adam.builder().lr(0.01).build())) {
            Trainer trainer = Trainer.builder().maxEpochs(1).enableProgressBar(false).build();
            TrainerException e = assertThrows(TrainerException.class, () -> trainer.fit(module, empty, null));
            assertTrue(e.getMessage().contains("training loader produced no batch"), e.getMessage());
            TrainerException e2 = assertThrows(TrainerException.class,
                    () -> trainer.fit(module, new LightningDataModule() {}));
            assertTrue(e2.getMessage().contains("trainDataLoader() is null"), e2.getMessage());
        }
    }

    @Test
    void limitsFastDevRunAndMaxSteps() {
        ArrayDataset train = Blobs.make(data, 160, 2, 1.0, 1, 16, true);
        ArrayDataset val = Blobs.make(data, 64, 2, 1.0, 2, 16, false);
        try (MlpModule module = new MlpModule(4, 2, () -> Adam.builder().lr(0.01).build())) {
            Trainer t1 = Trainer.builder().fastDevRun(2).maxEpochs(10).enableProgressBar(false).build();
            t1.fit(module, train, val);
            assertEquals(2, t1.globalStep());
            assertEquals(1, t1.validationRuns());
        }
        // fastDevRun limits the test run too (it scored the whole split)
        int[] testBatches = {0};
        try (MlpModule module = new MlpModule(4, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void testStep(ai.djl.training.dataset.Batch batch, int batchIdx) {
                testBatches[0]++;
            }
        }) {
            Trainer.builder().fastDevRun(2).enableProgressBar(false).build().test(module, val);
            assertEquals(2, testBatches[0], "fastDevRun 2: two test batches of " + 64 / 16);
        }
        try (MlpModule module = new MlpModule(4, 2, () -> Adam.builder().lr(0.01).build())) {

            Trainer t2 = Trainer.builder().maxEpochs(3).limitTrainBatches(BatchLimit.fraction(0.5))
                    .limitValBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t2.fit(module, train, val);
            assertEquals(15, t2.globalStep());
            assertEquals(5, t2.numTrainingBatches());

            Trainer t3 = Trainer.builder().maxEpochs(100).maxSteps(23).accumulateGradBatches(2)
                    .valCheckInterval(BatchLimit.count(4)).enableProgressBar(false).build();
            t3.fit(module, train, val);
            assertEquals(23, t3.globalStep());
            // 10 batches/epoch -> validations after batches 4 and 8, plus epoch end
            assertTrue(t3.validationRuns() >= 9, "validation runs " + t3.validationRuns());
        }
    }

    @Test
    void badConfigurationMessages() {
        TrainerException e = assertThrows(TrainerException.class, () -> Trainer.builder().maxEpochs(0).build());
        assertTrue(e.getMessage().startsWith("maxEpochs 0 must be > 0"), e.getMessage());
        e = assertThrows(TrainerException.class, () -> Trainer.builder().deterministic(true).build());
        assertTrue(e.getMessage().contains("needs a seed"), e.getMessage());
        e = assertThrows(TrainerException.class, () -> BatchLimit.fraction(1.5));
        assertTrue(e.getMessage().contains("fraction 1.5"), e.getMessage());
    }

    /**
     * A value logged on step and on epoch: the epoch mean covers every batch weighted by its size (the 100-sample
     * epoch ends with a 4-sample batch), however rarely steps are written ({@code logEveryNSteps} 50); the callback
     * metrics hold it under the plain name too, and metrics.csv's epoch row carries it at the epoch's last step.
     */
    @Test
    void epochMeanCoversEveryBatchWeightedBySize(@TempDir Path tmp) throws Exception {
        ArrayDataset train = Blobs.make(data, 100, 4, 1.0, 1, 32, true);
        java.util.List<double[]> seen = new java.util.ArrayList<>();
        java.util.List<double[]> means = new java.util.ArrayList<>();
        io.geolightning.trainer.callbacks.Callback watcher = new io.geolightning.trainer.callbacks.Callback() {
            private long size;

            @Override
            public void onTrainBatchStart(Trainer t, LightningModule m, Batch batch, int idx) {
                size = batch.getSize();
            }

            @Override
            public void onTrainBatchEnd(Trainer t, LightningModule m, double loss, int idx) {
                seen.add(new double[] {t.currentEpoch(), loss, size});
            }

            @Override
            public void onTrainEpochEnd(Trainer t, LightningModule m) {
                means.add(new double[] {t.callbackMetrics().get("train_loss"),
                    t.callbackMetrics().get("train_loss_epoch"), t.globalStep()});
            }
        };
        CsvLogger csv = new CsvLogger(tmp, "mean");
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(2).seed(5).callbacks(watcher).loggers(csv)
                        .logEveryNSteps(50).enableProgressBar(false).build()) {
            trainer.fit(module, train, null);
        }
        assertEquals(8, seen.size());
        assertEquals(4.0, seen.get(3)[2], "the leftover batch");
        List<String> lines = Files.readAllLines(tmp.resolve("mean/version_0/metrics.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        int col = header.indexOf("train_loss_epoch");
        for (int epoch = 0; epoch < 2; epoch++) {
            double sum = 0;
            double n = 0;
            for (double[] b : seen) {
                if (b[0] == epoch) {
                    sum += b[1] * b[2];
                    n += b[2];
                }
            }
            double expected = sum / n;
            assertEquals(expected, means.get(epoch)[1], 1e-6, "epoch " + epoch);
            assertEquals(expected, means.get(epoch)[0], 1e-6, "callback metrics' plain name after the epoch");
            String row = lines.get(1 + epoch);
            String[] cells = row.split(",", -1);
            assertEquals(expected, Double.parseDouble(cells[col]), 1e-6, row);
            // Lightning's step of an epoch's row: its last batch's, one less than the steps done
            assertEquals((long) means.get(epoch)[2] - 1, Long.parseLong(cells[0]), "the epoch's last step: " + row);
            assertEquals(epoch, Integer.parseInt(cells[1]), row);
        }
        assertEquals(3, lines.size(), "logEveryNSteps 50 writes no step row in 8 steps: " + lines);
    }

    /** Lightning's {@code trainer.validate} saves no checkpoint, even on a trainer with a ModelCheckpoint. */
    @Test
    void standaloneValidationSavesNoCheckpoint(@TempDir Path tmp) throws Exception {
        ArrayDataset val = Blobs.make(data, 64, 4, 1.0, 2, 32, false);
        io.geolightning.trainer.callbacks.ModelCheckpoint ckpt = io.geolightning.trainer.callbacks.ModelCheckpoint
                .builder().dirpath(tmp.resolve("ckpt")).build();
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(1).seed(5).callbacks(ckpt).enableProgressBar(false)
                        .build()) {
            Map<String, Double> m = trainer.validate(module, val);
            assertTrue(m.containsKey("val_acc"), m.toString());
        }
        assertTrue(!Files.exists(tmp.resolve("ckpt")) || Files.list(tmp.resolve("ckpt")).findAny().isEmpty(),
                "a checkpoint was saved by validate()");
    }
}
