package io.geolightning.trainer.callbacks;

import io.geolightning.foundation.Progress;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress. On a terminal (or with a {@link PrintStream} given) it redraws one line at most every
 * {@code refreshMillis}: epoch, batch i/n, it/s, ETA and the progress-bar metrics ({@code progBar=true} plus
 * {@code loss}). Without a terminal ({@code System.console() == null}, e.g. CI) it is quiet and logs one line per
 * epoch through SLF4J at INFO. Each epoch's final line adds the ETA of the whole fit (mean epoch time x epochs left).
 */
public final class ProgressBar implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressBar.class);

    private final PrintStream out;
    private final long refreshMillis;
    private long epochStartNanos;
    private long fitStartNanos;
    private int epochsDone;
    private long lastDraw;
    private int batches;

    /** Draws on System.err when it is a terminal, else logs one line per epoch. */
    public ProgressBar() {
        this(System.console() != null ? System.err : null, 200);
    }

    /**
     * @param out stream to draw on, or null for SLF4J one line per epoch
     * @param refreshMillis minimum time between redraws
     */
    public ProgressBar(PrintStream out, long refreshMillis) {
        this.out = out;
        this.refreshMillis = refreshMillis;
    }

    @Override
    public void onFitStart(Trainer trainer, LightningModule module) {
        fitStartNanos = System.nanoTime();
        epochsDone = 0;
    }

    @Override
    public void onTrainEpochStart(Trainer trainer, LightningModule module) {
        epochStartNanos = System.nanoTime();
        lastDraw = 0;
        batches = 0;
    }

    @Override
    public void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {
        batches = batchIdx + 1;
        if (out == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw >= refreshMillis) {
            lastDraw = now;
            out.print("\r" + line(trainer) + "\u001b[K");
            out.flush();
        }
    }

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        epochsDone++;
        String line = line(trainer) + fitEta(trainer);
        if (out != null) {
            out.print("\r" + line + "\u001b[K\n");
            out.flush();
        } else {
            LOG.info(line);
        }
    }

    String line(Trainer trainer) {
        double secs = Math.max(1e-9, (System.nanoTime() - epochStartNanos) / 1e9);
        double itPerSec = batches / secs;
        int total = trainer.numTrainingBatches();
        StringBuilder sb = new StringBuilder();
        sb.append("Epoch ").append(trainer.currentEpoch()).append(": ").append(batches);
        if (total > 0) {
            sb.append('/').append(total);
            double eta = Progress.etaSeconds(batches, total, secs);
            sb.append(String.format(Locale.ROOT, " [%s<%s, %.2f it/s]", clock(secs), clock(eta), itPerSec));
        } else {
            sb.append(String.format(Locale.ROOT, " [%s, %.2f it/s]", clock(secs), itPerSec));
        }
        for (Map.Entry<String, Double> e : trainer.progressBarMetrics().entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s=%.4g", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    /** Estimated time left for the whole fit, from the mean epoch time so far and {@code maxEpochs}. */
    private String fitEta(Trainer trainer) {
        int left = trainer.config().maxEpochs() - trainer.currentEpoch() - 1;
        if (left <= 0 || epochsDone == 0 || trainer.config().maxSteps() > 0) {
            return "";
        }
        double perEpoch = (System.nanoTime() - fitStartNanos) / 1e9 / epochsDone;
        return " | fit ETA " + clock(perEpoch * left) + " (" + left + " epochs left)";
    }

    private static String clock(double seconds) {
        long s = Double.isFinite(seconds) ? Math.round(seconds) : 0;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
