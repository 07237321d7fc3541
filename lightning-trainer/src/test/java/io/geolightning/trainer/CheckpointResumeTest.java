package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.Sgd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.5).trainSplit(256, 11, 32).valSplit(128, 12, 64);

    /** @return every parameter's values, in the block's order (other tests compare runs with it too) */
    static List<float[]> weights(LightningModule m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.getBlock().getParameters().values()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void resumeReplaysTheUninterruptedRun(@TempDir Path tmp) {
        MetricsRecorder full = new MetricsRecorder();
        ModelCheckpoint everyEpoch = ModelCheckpoint.builder().dirpath(tmp).filename("epoch={epoch}").saveTopK(-1).build();
        List<float[]> fullWeights;
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.02).build())) {
            Trainer t = Trainer.builder().maxEpochs(4).seed(7).deterministic(true).callbacks(full, everyEpoch)
                    .enableProgressBar(false).build();
            m.saveHyperparameters(Map.of("hidden", 8));
            t.fit(m, BLOBS.train(), BLOBS.val());
            fullWeights = weights(m);
        }
        assertTrue(Files.exists(tmp.resolve("epoch=1.ckpt")));

        MetricsRecorder resumed = new MetricsRecorder();
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.02).build())) {
            Trainer t = Trainer.builder().maxEpochs(4).seed(7).deterministic(true).callbacks(resumed)
                    .ckptPath(tmp.resolve("epoch=1.ckpt")).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(List.of(2, 3), resumed.epochNumbers);
            for (int e = 0; e < 2; e++) {
                Map<String, Double> a = full.epochs.get(e + 2);
                Map<String, Double> b = resumed.epochs.get(e);
                for (String k : List.of("train_loss_epoch", "val_loss", "val_acc")) {
                    assertEquals(a.get(k), b.get(k), 1e-6, k + " at epoch " + (e + 2));
                }
            }
            List<float[]> w = weights(m);
            for (int i = 0; i < w.size(); i++) {
                assertArrayEquals(fullWeights.get(i), w.get(i), 1e-6f, "parameter " + i);
            }
            assertEquals(4L * 8, t.globalStep());
        }
        var meta = io.geolightning.trainer.checkpoint.CheckpointIO.read(tmp.resolve("epoch=1.ckpt")).meta();
        assertEquals(Map.of("hidden", 8), meta.hyperparameters());
        assertEquals(2, meta.epoch());
        assertEquals(16, meta.globalStep());
        assertEquals(7, meta.seed());
    }

    @Test
    void modelCheckpointKeepsTopKPlusLast(@TempDir Path tmp) throws Exception {
        // a scripted val metric: the trainer's own val metrics are replaced by this sequence
        double[] script = {0.9, 0.5, 0.7, 0.3, 0.6, 0.4};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MIN).saveTopK(2)
                .saveLast(true).filename("epoch={epoch}-score={score:.2f}").build();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).callbacks(ckpt).numSanityValSteps(0)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        TreeSet<String> files;
        try (Stream<Path> s = Files.list(tmp)) {
            files = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(List.of("epoch=3-score=0.30.ckpt", "epoch=5-score=0.40.ckpt", "last.ckpt")), files);
        assertEquals(tmp.resolve("epoch=3-score=0.30.ckpt"), ckpt.bestModelPath());
        assertEquals(0.3, ckpt.bestModelScore(), 1e-12);
        var meta = io.geolightning.trainer.checkpoint.CheckpointIO.read(tmp.resolve("last.ckpt")).meta();
        assertEquals(6, meta.epoch());
        assertEquals(6, meta.globalStep());
    }

    /** A fixed file name ("best", top 1) holds the best epoch's weights, not the latest epoch's. */
    @Test
    void aFixedFilenameKeepsTheBestEpoch(@TempDir Path tmp) {
        double[] script = {0.9, 0.5, 0.7, 0.6};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MIN).saveTopK(1)
                .filename("best").build();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).callbacks(ckpt).numSanityValSteps(0)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        var meta = io.geolightning.trainer.checkpoint.CheckpointIO.read(tmp.resolve("best.ckpt")).meta();
        assertEquals(0.5, meta.metrics().get("score"), 1e-12, "best.ckpt holds epoch 1's weights");
        assertEquals(0.5, ckpt.bestModelScore(), 1e-12);
        // "last" beside saveLast: both would be last.ckpt, the best overwritten by the last epoch; refused
        TrainerException e = assertThrows(TrainerException.class,
                () -> ModelCheckpoint.builder().dirpath(tmp).monitor("score").saveLast(true).filename("last").build());
        assertTrue(e.getMessage().startsWith("ModelCheckpoint filename 'last' is the last-epoch checkpoint's name"),
                e.getMessage());
        ModelCheckpoint.builder().dirpath(tmp).monitor("score").saveLast(false).filename("last").build();
    }

    /**
     * Validating every second epoch (epochs 1, 3, 5, 7): early stopping and the checkpoint act on the epochs that
     * validated, not on an earlier epoch's value repeated (which counted as an epoch without improvement, stopping
     * runs early, and named epoch 2's weights with epoch 1's score).
     */
    @Test
    void callbacksActOnlyOnEpochsThatValidated(@TempDir Path tmp) throws Exception {
        double[] script = {9, 0.9, 9, 0.8, 9, 0.85, 9, 0.7};
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MIN).saveTopK(-1)
                .filename("e{epoch}-{score:.2f}").autoInsertMetricName(false).build();
        EarlyStopping stop = EarlyStopping.builder("score").mode(Mode.MIN).patience(2).build();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).checkValEveryNEpoch(2).callbacks(stop, ckpt)
                    .numSanityValSteps(0).limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        // all 8 epochs: 0.9 and 0.8 improve, 0.85 is one validation without improvement (patience 2), 0.7 improves
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("e1-0.90.ckpt", "e3-0.80.ckpt", "e5-0.85.ckpt", "e7-0.70.ckpt"), files.map(p -> p
                    .getFileName().toString()).sorted().toList(), "one checkpoint per validated epoch");
        }
        assertEquals(0.7, ckpt.bestModelScore(), 1e-12);
    }

    /**
     * Resumed into a new folder (the CLI's next version_N), the ranking keeps the earlier run's checkpoints, found
     * beside the one resumed from: the best stays the earlier epoch, and none of them is deleted.
     */
    @Test
    void aResumedRunInANewFolderKeepsTheEarlierBest(@TempDir Path tmp) {
        double[] script = {0.9, 0.5, 0.7, 0.8, 0.6, 0.65};
        Path first = tmp.resolve("version_0");
        try (MlpModule m = new ScriptedModule(script)) {
            ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(first).monitor("score").mode(Mode.MIN)
                    .saveTopK(2).saveLast(true).filename("epoch={epoch}").build();
            Trainer t = Trainer.builder().maxEpochs(3).callbacks(ckpt).numSanityValSteps(0)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        Path second = tmp.resolve("version_1");
        ModelCheckpoint resumed = ModelCheckpoint.builder().dirpath(second).monitor("score").mode(Mode.MIN)
                .saveTopK(2).saveLast(true).filename("epoch={epoch}").build();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).callbacks(resumed).numSanityValSteps(0)
                    .ckptPath(first.resolve("last.ckpt")).limitTrainBatches(BatchLimit.count(1))
                    .enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        assertEquals(first.resolve("epoch=1.ckpt").toAbsolutePath().normalize(), resumed.bestModelPath());
        assertEquals(0.5, resumed.bestModelScore(), 1e-12);
        assertEquals(java.util.Set.of(first.resolve("epoch=1.ckpt").toAbsolutePath().normalize(),
                second.resolve("epoch=4.ckpt")), resumed.bestKModels().keySet(), "top 2 of 0.5 (earlier), 0.6");
        assertTrue(Files.exists(first.resolve("epoch=2.ckpt")), "an earlier run's checkpoint is never deleted");
    }

    /**
     * A checkpoint holds early stopping's state of its own epoch, whatever order the callbacks were given in (the
     * checkpoint callback runs last, as in Lightning): resuming from it stops where the uninterrupted run stops.
     */
    @Test
    void checkpointsHoldTheEarlyStoppingStateOfTheirEpoch(@TempDir Path tmp) {
        double[] script = {0.9, 0.5, 0.495, 0.6, 0.55, 0.1, 0.1};
        EarlyStopping es = EarlyStopping.builder("score").patience(3).minDelta(0.01).build();
        ModelCheckpoint everyEpoch = ModelCheckpoint.builder().dirpath(tmp).filename("epoch={epoch}").saveTopK(-1)
                .build();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).callbacks(everyEpoch, es).numSanityValSteps(0)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
        }
        assertEquals(4, es.stoppedEpoch());
        for (int epoch = 0; epoch <= 4; epoch++) {
            Map<String, Object> saved = io.geolightning.trainer.checkpoint.CheckpointIO.read(tmp.resolve("epoch="
                    + epoch + ".ckpt")).meta().callbacks().get(es.stateKey());
            int expected = epoch <= 1 ? 0 : epoch - 1; // best at epoch 1, then no improvement
            assertEquals(expected, ((Number) saved.get("wait")).intValue(), "patience counter saved at epoch " + epoch);
        }
    }

    @Test
    void earlyStoppingStopsAtTheExpectedEpoch() {
        // best 0.5 at epoch 1; epochs 2,3,4 do not improve by > 0.01 -> stop at epoch 4 with patience 3
        double[] script = {0.9, 0.5, 0.495, 0.6, 0.55, 0.1, 0.1};
        EarlyStopping es = EarlyStopping.builder("score").patience(3).minDelta(0.01).build();
        MetricsRecorder rec = new MetricsRecorder();
        try (MlpModule m = new ScriptedModule(script)) {
            Trainer t = Trainer.builder().maxEpochs(script.length).callbacks(es, rec).numSanityValSteps(0)
                    .limitTrainBatches(BatchLimit.count(1)).enableProgressBar(false).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertTrue(t.shouldStop());
        }
        assertEquals(4, es.stoppedEpoch());
        assertEquals(1, es.bestEpoch());
        assertEquals(5, rec.epochs.size());
        assertTrue(es.stopReason().contains("score did not improve") && es.stopReason().contains("best score = 0.5")
                && es.stopReason().contains("at epoch 1"), es.stopReason());
    }

    @Test
    void monitorNeverLoggedNamesTheAvailableMetrics(@TempDir Path tmp) {
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).monitor("val_f1").build();
        try (MlpModule m = new MlpModule(4, 2, () -> Sgd.builder().lr(0.1).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).callbacks(ckpt).limitTrainBatches(BatchLimit.count(2))
                    .enableProgressBar(false).build();
            TrainerException e = assertThrows(TrainerException.class, () -> t.fit(m, BLOBS.train(), BLOBS.val()));
            assertTrue(e.getMessage().startsWith("ModelCheckpoint monitor 'val_f1' was never logged (logged metrics: ["),
                    e.getMessage());
            assertTrue(e.getMessage().contains("val_acc") && e.getMessage().contains("val_loss"), e.getMessage());
        }
        EarlyStopping es = EarlyStopping.builder("val_f1").build();
        try (MlpModule m = new MlpModule(4, 2, () -> Sgd.builder().lr(0.1).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).callbacks(es).limitTrainBatches(BatchLimit.count(2))
                    .enableProgressBar(false).build();
            TrainerException e = assertThrows(TrainerException.class, () -> t.fit(m, BLOBS.train(), BLOBS.val()));
            assertTrue(e.getMessage().contains("EarlyStopping monitor 'val_f1' was never logged"), e.getMessage());
        }
    }

    @Test
    void missingCorruptAndIncompatibleCheckpoints(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nope.ckpt");
        TrainerException e = fitFrom(missing, 8);
        assertEquals(missing + ": checkpoint file not found; pass the path of an existing .ckpt"
                + " (ModelCheckpoint writes them under <dirpath>)", e.getMessage());

        Path garbage = tmp.resolve("garbage.ckpt");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        e = fitFrom(garbage, 8);
        assertTrue(e.getMessage().startsWith(garbage + ": not a GeoLightning checkpoint")
                || e.getMessage().startsWith(garbage + ": not a readable checkpoint"), e.getMessage());

        // a real checkpoint, then truncated
        ModelCheckpoint ckpt = ModelCheckpoint.builder().dirpath(tmp).filename("good").build();
        try (MlpModule m = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build())) {
            Trainer.builder().maxEpochs(1).callbacks(ckpt).limitTrainBatches(BatchLimit.count(2))
                    .enableProgressBar(false).build().fit(m, BLOBS.train(), BLOBS.val());
        }
        Path good = tmp.resolve("good.ckpt");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = tmp.resolve("truncated.ckpt");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = fitFrom(truncated, 8);
        assertTrue(e.getMessage().startsWith(truncated + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("pass") , e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        // restoring into a fresh, uninitialised block initialises it with the saved weights
        try (MlpModule fresh = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                MlpModule trained = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build())) {
            var loaded = io.geolightning.trainer.checkpoint.CheckpointIO.read(good);
            loaded.restoreModel(fresh.getBlock(), fresh.getManager());
            assertTrue(fresh.getBlock().isInitialized());
            trained.initialize(new ai.djl.ndarray.types.Shape(1, 4));
            loaded.restoreModel(trained.getBlock(), trained.getManager());
            List<float[]> a = weights(fresh);
            List<float[]> b = weights(trained);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
            }
            assertEquals(Map.of(), loaded.meta().hyperparameters());
        }

        e = fitFrom(good, 16);
        assertTrue(e.getMessage().contains("checkpoint does not fit this model: parameter '")
                && e.getMessage().contains("(8, 4) in the checkpoint but (16, 4) in the model"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static TrainerException fitFrom(Path ckpt, int hidden) {
        try (MlpModule m = new MlpModule(hidden, 2, () -> Adam.builder().lr(0.01).build())) {
            Trainer t = Trainer.builder().maxEpochs(2).ckptPath(ckpt).enableProgressBar(false).build();
            return assertThrows(TrainerException.class, () -> t.fit(m, BLOBS.train(), BLOBS.val()));
        }
    }

    /** Logs a scripted "score" per validation epoch. */
    static final class ScriptedModule extends MlpModule {
        private final double[] script;

        ScriptedModule(double[] script) {
            super(4, 2, () -> Sgd.builder().lr(0.01).build());
            this.script = script;
        }

        @Override
        public void onValidationEpochEnd() {
            log("score", script[currentEpoch()]);
        }
    }
}
