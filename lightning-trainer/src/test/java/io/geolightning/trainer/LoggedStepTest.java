package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.trainer.callbacks.LearningRateMonitor;
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
 * The step column of metrics.csv is Lightning's ({@code _batches_that_stepped} when the row is logged): a batch's
 * loss, the learning rate it used and a validation right after it share one step, the first batch's being 0, and an
 * epoch's rows carry its last batch's step. The loss rows were one step later than Lightning's and than the
 * learning-rate rows of the same batch.
 */
class LoggedStepTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.0).trainSplit(64, 1, 16).valSplit(32, 2, 16);

    @Test
    void stepsAreLightningsBatchesThatStepped(@TempDir Path tmp) throws Exception {
        CsvLogger csv = new CsvLogger(tmp, "steps");
        try (MlpModule module = new MlpModule(8, 2, () -> Adam.builder().lr(0.01).build());
                Trainer trainer = Trainer.builder().maxEpochs(2).loggers(csv).logEveryNSteps(2).numSanityValSteps(0)
                        .callbacks(new LearningRateMonitor(LearningRateMonitor.Interval.STEP))
                        .enableProgressBar(false).build()) {
            trainer.fit(module, BLOBS.train(), BLOBS.val()); // 4 batches an epoch: 8 steps
            trainer.validate(module, BLOBS.val());
        }
        List<String> lines = Files.readAllLines(csv.metricsFile());
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            String kind = !cell(header, cells, "lr-Adam").isEmpty() ? "lr"
                    : !cell(header, cells, "train_loss_step").isEmpty() ? "loss"
                    : !cell(header, cells, "val_loss").isEmpty() ? "val" : "epoch";
            rows.add(kind + "@" + cells[0]);
        }
        // loss rows every 2 steps (Lightning: (batches_that_stepped + 1) % 2 == 0), at the step of their batch
        assertEquals(List.of("lr@0", "lr@1", "loss@1", "lr@2", "lr@3", "loss@3", "val@3", "epoch@3",
                "lr@4", "lr@5", "loss@5", "lr@6", "lr@7", "loss@7", "val@7", "epoch@7",
                "val@8"), rows, String.join("\n", lines));
    }

    private static String cell(List<String> header, String[] cells, String column) {
        int i = header.indexOf(column);
        return i < 0 || i >= cells.length ? "" : cells[i];
    }
}
