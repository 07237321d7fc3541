package io.geolightning.app.run;

import io.geolightning.foundation.Progress;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Prints one line per training epoch to the CLI's output: epoch (numbered from 0 as in Lightning, metrics.csv,
 * checkpoint names and the report: "epoch 0/9" is the first of 10), training loss (the epoch mean over every batch,
 * weighted by batch size: the {@code train_loss_epoch} of metrics.csv), validation loss and scores, epoch time and an
 * ETA for the remaining epochs.
 */
final class EpochPrinter implements Callback {

    private static final List<String> SHOWN = List.of("train_loss_epoch", "val_loss", "val_acc", "val_miou", "val_f1");

    private final PrintWriter out;
    private final int maxEpochs;
    private final LongSupplier nanoClock;
    private long fitStart;
    private long epochStart;
    private int epochs;

    EpochPrinter(PrintWriter out, int maxEpochs) {
        this(out, maxEpochs, System::nanoTime);
    }

    /** With the clock given (tests: a clock that advances a fixed time per reading). */
    EpochPrinter(PrintWriter out, int maxEpochs, LongSupplier nanoClock) {
        this.out = out;
        this.maxEpochs = maxEpochs;
        this.nanoClock = nanoClock;
    }

    /** @return training epochs completed in this process */
    int epochs() {
        return epochs;
    }

    @Override
    public void onFitStart(Trainer trainer, LightningModule module) {
        fitStart = nanoClock.getAsLong();
    }

    @Override
    public void onTrainEpochStart(Trainer trainer, LightningModule module) {
        epochStart = nanoClock.getAsLong();
    }

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        int epoch = trainer.currentEpoch();
        epochs++;
        long now = nanoClock.getAsLong();
        double secs = (now - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", epoch, maxEpochs - 1));
        Map<String, Double> m = trainer.callbackMetrics();
        for (String k : SHOWN) {
            Double v = m.get(k);
            if (v != null && !v.isNaN()) {
                sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v));
            }
        }
        double elapsed = (now - fitStart) / 1e9;
        int done = epoch + 1;
        sb.append(String.format(Locale.ROOT, "  (%.1f s", secs));
        if (done < maxEpochs && !trainer.shouldStop()) {
            // the rate of the epochs this process trained: a resumed run did not spend elapsed on the earlier ones
            int left = maxEpochs - done;
            sb.append(", ETA ").append(Progress.duration(Progress.etaSeconds(epochs, epochs + left, elapsed)));
        }
        sb.append(')');
        out.println(sb);
        out.flush();
    }
}
