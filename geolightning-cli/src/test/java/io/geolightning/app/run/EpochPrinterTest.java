package io.geolightning.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import io.geolightning.models.nn.Architecture;
import io.geolightning.models.nn.ModelSpec;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.tasks.TaskSettings;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch lines' ETA after {@code trainer.ckptPath} (resume): the rate is that of the epochs this process trained,
 * not the elapsed time spread over every epoch done, earlier runs' included. A real CNN task is trained for two
 * epochs, then resumed to six; the printer reads a clock that advances 10 s per reading, so the figures are exact.
 */
class EpochPrinterTest {

    private static final long TEN_SECONDS = 10_000_000_000L;

    @Test
    void etaAfterResumeIsTheRateOfThisProcessTimesTheEpochsLeft(@TempDir Path tmp) {
        ModelSpec spec = ModelSpec.of(Architecture.CNN, 3, 2, 16).withOption("width", 8).withOption("stages", 1);
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset data = new ArrayDataset.Builder().setData(m.randomNormal(new Shape(32, 3, 16, 16)))
                    .optLabels(m.randomInteger(0, 2, new Shape(32), DataType.FLOAT32)).setSampling(16, false).build();
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(spec));
                 Trainer first = Trainer.builder().maxEpochs(2).seed(7).numSanityValSteps(0).enableProgressBar(false)
                         .callbacks(ModelCheckpoint.builder().dirpath(tmp).filename("epoch={epoch}").saveTopK(-1)
                                 .build()).build()) {
                first.fit(task, data, null);
            }
            assertTrue(Files.exists(tmp.resolve("epoch=1.ckpt")));

            StringWriter text = new StringWriter();
            AtomicLong clock = new AtomicLong();
            EpochPrinter printer = new EpochPrinter(new PrintWriter(text), 6, () -> clock.addAndGet(TEN_SECONDS));
            try (LandUseTask task = LandUseTask.create(TaskSettings.of(spec));
                 Trainer resumed = Trainer.builder().maxEpochs(6).seed(7).numSanityValSteps(0)
                         .enableProgressBar(false).ckptPath(tmp.resolve("epoch=1.ckpt")).callbacks(printer).build()) {
                resumed.fit(task, data, null);
            }
            List<String> lines = text.toString().lines().toList();
            assertEquals(4, lines.size(), text.toString());
            assertEquals(4, printer.epochs());
            // fit start at 10 s, epoch 2 from 20 s to 30 s: one epoch here in 20 s, three left
            assertTrue(lines.get(0).startsWith("epoch 2/5  train_loss_epoch "), lines.get(0));
            assertTrue(lines.get(0).endsWith("(10.0 s, ETA 1m00s)"), lines.get(0));
            // epoch 3 ends at 50 s: two epochs in 40 s, two left
            assertTrue(lines.get(1).endsWith("(10.0 s, ETA 40s)"), lines.get(1));
            assertTrue(lines.get(3).startsWith("epoch 5/5 ") && lines.get(3).endsWith("(10.0 s)"), lines.get(3));
        }
    }
}
