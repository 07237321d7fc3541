package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.dataset.ArrayDataset;
import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.loggers.CsvLogger;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a module logs in {@code onTrainEpochStart}/{@code onTrainEpochEnd} is the epoch's value, as Lightning's
 * {@code self.log} there ({@code on_step=False, on_epoch=True}): it reaches the loggers with the epoch's means.
 */
class EpochHookLoggingTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void valuesLoggedInTrainEpochHooksReachTheLoggers(@TempDir Path tmp) throws Exception {
        ArrayDataset train = BLOBS.train();
        CsvLogger csv = new CsvLogger(tmp, "hooks");
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void onTrainEpochStart() {
                log("epoch_start_value", 10.0 + currentEpoch());
            }

            @Override
            public void onTrainEpochEnd() {
                log("epoch_end_value", 20.0 + currentEpoch());
            }
        };
        try (module; Trainer trainer = Trainer.builder().maxEpochs(2).loggers(csv).logEveryNSteps(1)
                .enableProgressBar(false).build()) {
            trainer.fit(module, train, null);
            assertEquals(21.0, trainer.callbackMetrics().get("epoch_end_value"));
            assertEquals(11.0, trainer.callbackMetrics().get("epoch_start_value"));
        }
        List<String> lines = Files.readAllLines(csv.metricsFile());
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int end = header.indexOf("epoch_end_value");
        int start = header.indexOf("epoch_start_value");
        assertTrue(end > 0 && start > 0, "columns " + header);
        List<String> ends = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (!cells[end].isEmpty()) {
                ends.add(cells[1] + ":" + cells[end]);
            }
            if (!cells[start].isEmpty()) {
                starts.add(cells[1] + ":" + cells[start]);
            }
        }
        assertEquals(List.of("0:20.0", "1:21.0"), ends, String.join("\n", lines));
        assertEquals(List.of("0:10.0", "1:11.0"), starts, String.join("\n", lines));
    }

    /**
     * A callback logging in {@code onTrainEpochEnd} (a custom epoch score, as Lightning users write them) reached
     * neither metrics.csv nor the checkpoint callback monitoring it: the loggers had been sent the epoch before the
     * callbacks ran. As in Lightning, the other callbacks run first, then the module, then the monitoring ones, and
     * what they log is the epoch's; the epoch's means are current in all of them.
     */
    @Test
    void valuesACallbackLogsAtEpochEndReachTheLoggersAndTheCheckpoint(@TempDir Path tmp) throws Exception {
        CsvLogger csv = new CsvLogger(tmp, "callback");
        List<Double> meansSeen = new ArrayList<>();
        Callback scorer = new Callback() {
            @Override
            public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
                meansSeen.add(trainer.callbackMetrics().get("train_loss_epoch"));
                module.log("custom_score", new double[] {0.3, 0.9, 0.5}[trainer.currentEpoch()]);
            }
        };
        ModelCheckpoint best = ModelCheckpoint.builder().dirpath(tmp.resolve("ckpt")).monitor("custom_score")
                .mode(Mode.MAX).saveTopK(1).filename("{epoch}-{custom_score:.1f}").build();
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
        try (module; Trainer trainer = Trainer.builder().maxEpochs(3).loggers(csv).callbacks(best, scorer)
                .enableProgressBar(false).build()) {
            trainer.fit(module, BLOBS.train(), null);
            assertEquals(0.5, trainer.callbackMetrics().get("custom_score"));
        }
        assertEquals(3, meansSeen.size());
        assertTrue(meansSeen.stream().allMatch(v -> v != null && Double.isFinite(v)), meansSeen.toString());
        assertEquals(tmp.resolve("ckpt").resolve("epoch=1-custom_score=0.9.ckpt"), best.bestModelPath());
        assertEquals(0.9, best.bestModelScore(), 1e-12);
        List<String> lines = Files.readAllLines(csv.metricsFile());
        int col = Arrays.asList(lines.get(0).split(",", -1)).indexOf("custom_score");
        assertTrue(col > 0, lines.get(0));
        List<String> scores = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (!cells[col].isEmpty()) {
                scores.add(cells[1] + ":" + cells[col]);
            }
        }
        assertEquals(List.of("0:0.3", "1:0.9", "2:0.5"), scores, String.join("\n", lines));
    }

    /**
     * A value logged where no step or epoch holds it (a fit's start or end, after a validation's results were
     * published) was silently dropped, or sent with the next training step; it is refused, as Lightning refuses it.
     */
    @Test
    void logWhereNothingCanHoldItIsRefused() {
        for (String hook : List.of("onFitStart", "onValidationEnd", "onFitEnd")) {
            Callback late = new Callback() {
                @Override
                public void onFitStart(Trainer trainer, LightningModule module) {
                    logIf("onFitStart", module);
                }

                @Override
                public void onValidationEnd(Trainer trainer, LightningModule module) {
                    logIf("onValidationEnd", module);
                }

                @Override
                public void onFitEnd(Trainer trainer, LightningModule module) {
                    logIf("onFitEnd", module);
                }

                private void logIf(String here, LightningModule module) {
                    if (here.equals(hook)) {
                        module.log("late", 1.0);
                    }
                }
            };
            MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
            try (module; Trainer trainer = Trainer.builder().maxEpochs(1).numSanityValSteps(0).callbacks(late)
                    .enableProgressBar(false).build()) {
                TrainerException e = assertThrows(TrainerException.class,
                        () -> trainer.fit(module, BLOBS.train(), BLOBS.val()));
                assertEquals("log('late') in " + hook + ": nothing can be logged there (as in Lightning), no epoch or"
                        + " step would hold it; log it in a step or in onTrainEpochEnd", e.getMessage());
            }
        }
    }

    @Test
    void onStepInAnEpochHookIsRefusedWithWhy() {
        ArrayDataset train = BLOBS.train();
        MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build()) {
            @Override
            public void onTrainEpochEnd() {
                log("x", 1.0, LogOptions.builder().onStep(true).build());
            }
        };
        try (module; Trainer trainer = Trainer.builder().maxEpochs(1).enableProgressBar(false).build()) {
            TrainerException e = assertThrows(TrainerException.class, () -> trainer.fit(module, train, null));
            assertTrue(e.getMessage().contains("log('x') in onTrainEpochEnd"), e.getMessage());
        }
    }
}
