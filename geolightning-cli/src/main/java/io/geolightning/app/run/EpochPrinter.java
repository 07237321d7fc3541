package io.geolightning.app.run;

import io.geolightning.foundation.Progress;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.callbacks.Callback;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one line per training epoch to the CLI's output: epoch, mean training loss, validation loss and scores,
 * epoch time and an ETA for the remaining epochs.
 */
final class EpochPrinter implements Callback {

    private static final List<String> SHOWN = List.of("val_loss", "val_acc", "val_miou", "val_f1");

    private final PrintWriter out;
    private final int maxEpochs;
    private long fitStart;
    private long epochStart;
    private double lossSum;
    private int lossCount;
    private int epochs;

    EpochPrinter(PrintWriter out, int maxEpochs) {
        this.out = out;
        this.maxEpochs = maxEpochs;
    }

    /** @return training epochs completed in this process */
    int epochs() {
        return epochs;
    }

    @Override
    public void onFitStart(Trainer trainer, LightningModule module) {
        fitStart = System.nanoTime();
    }

    @Override
    public void onTrainEpochStart(Trainer trainer, LightningModule module) {
        epochStart = System.nanoTime();
        lossSum = 0;
        lossCount = 0;
    }

    @Override
    public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
        if (Double.isFinite(loss)) {
            lossSum += loss;
            lossCount++;
        }
    }

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        int epoch = trainer.currentEpoch() + 1;
        epochs++;
        double secs = (System.nanoTime() - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", epoch, maxEpochs));
        if (lossCount > 0) {
            sb.append(String.format(Locale.ROOT, "  train_loss %.4f", lossSum / lossCount));
        }
        Map<String, Double> m = trainer.callbackMetrics();
        for (String k : SHOWN) {
            Double v = m.get(k);
            if (v != null && !v.isNaN()) {
                sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v));
            }
        }
        double elapsed = (System.nanoTime() - fitStart) / 1e9;
        int left = maxEpochs - epoch;
        sb.append(String.format(Locale.ROOT, "  (%.1f s", secs));
        if (left > 0 && !trainer.shouldStop()) {
            sb.append(", ETA ").append(Progress.duration(Progress.etaSeconds(epoch, maxEpochs, elapsed)));
        }
        sb.append(')');
        out.println(sb);
        out.flush();
    }
}
