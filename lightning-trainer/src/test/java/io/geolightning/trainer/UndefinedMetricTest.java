package io.geolightning.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.geolightning.trainer.callbacks.Callback;
import io.geolightning.trainer.callbacks.EarlyStopping;
import io.geolightning.trainer.callbacks.Mode;
import io.geolightning.trainer.callbacks.ModelCheckpoint;
import io.geolightning.trainer.optim.Adam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validation metric that is undefined in one validation (a class's precision when the model predicts none of the
 * class) is not logged then: the callback metrics must not keep the earlier validation's value beside the current
 * ones (a checkpoint showed precision 0.796 next to recall 0), and a callback monitoring it skips that validation
 * instead of acting on the old value or failing as if it were never logged.
 */
class UndefinedMetricTest {

    @RegisterExtension
    static final BlobsData BLOBS = new BlobsData(4, 1.5).trainSplit(64, 31, 16).valSplit(32, 32, 32);

    /** Logs "score" in epochs 0 and 2 only. */
    static final class GapInEpochOne extends MlpModule {
        GapInEpochOne() {
            super(8, 2, () -> Adam.builder().lr(0.02).build());
        }

        @Override
        public void onValidationEpochEnd() {
            if (currentEpoch() != 1) {
                log("score", currentEpoch() == 0 ? 0.5 : 0.7);
            }
        }
    }

    /** Records, per epoch end, the score the callbacks see. */
    static final class Seen implements Callback {
        final List<Double> scores = new ArrayList<>();

        @Override
        public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
            scores.add(trainer.callbackMetrics().get("score"));
        }
    }

    @Test
    void aMetricLeftOutOfAValidationIsNotCurrentAndCallbacksSkipIt(@TempDir Path tmp) {
        Seen seen = new Seen();
        ModelCheckpoint best = ModelCheckpoint.builder().dirpath(tmp).monitor("score").mode(Mode.MAX).saveTopK(1)
                .filename("{epoch}").build();
        EarlyStopping early = EarlyStopping.builder("score").mode(Mode.MAX).patience(1).build();
        try (GapInEpochOne m = new GapInEpochOne()) {
            Trainer t = Trainer.builder().maxEpochs(3).seed(5).numSanityValSteps(0).enableProgressBar(false)
                    .callbacks(seen, best, early).build();
            t.fit(m, BLOBS.train(), BLOBS.val());
            assertEquals(3, t.validationRuns(), "epoch 1's missing score neither stopped the run nor failed it");
        }
        assertEquals(java.util.Arrays.asList(0.5, null, 0.7), seen.scores, "epoch 1 has no score, not epoch 0's");
        assertEquals(tmp.resolve("epoch=2.ckpt"), best.bestModelPath(), "Lightning's auto_insert_metric_name");
    }
}
