package io.geolightning.trainer.callbacks;

import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.loggers.ExperimentLogger;
import io.geolightning.trainer.optim.LightningOptimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends each optimizer's learning rate to the loggers, like Lightning's {@code LearningRateMonitor}: as
 * {@code lr-<Optimizer>} (with {@code -<index>} appended when several optimizers share a class), at every epoch
 * start or every training step.
 */
public final class LearningRateMonitor implements Callback {

    /** When to record. */
    public enum Interval {
        /** At each training epoch start. */
        EPOCH,
        /** At each training batch start. */
        STEP
    }

    private final Interval interval;
    private final Map<String, Double> last = new LinkedHashMap<>();

    /** Records once per epoch. */
    public LearningRateMonitor() {
        this(Interval.EPOCH);
    }

    /** @param interval when to record */
    public LearningRateMonitor(Interval interval) {
        this.interval = interval;
    }

    @Override
    public void onTrainEpochStart(Trainer trainer, LightningModule module) {
        if (interval == Interval.EPOCH) {
            record(trainer);
        }
    }

    @Override
    public void onTrainBatchStart(Trainer trainer, LightningModule module, ai.djl.training.dataset.Batch batch, int batchIdx) {
        if (interval == Interval.STEP) {
            record(trainer);
        }
    }

    private void record(Trainer trainer) {
        List<LightningOptimizer> opts = trainer.optimizers();
        last.clear();
        for (int i = 0; i < opts.size(); i++) {
            LightningOptimizer o = opts.get(i);
            String base = "lr-" + o.getClass().getSimpleName();
            boolean shared = opts.stream().filter(x -> x.getClass() == o.getClass()).count() > 1;
            last.put(shared ? base + "-" + i : base, o.learningRate());
        }
        Map<String, Double> row = new LinkedHashMap<>(last);
        row.put("epoch", (double) trainer.currentEpoch());
        for (ExperimentLogger l : trainer.loggers()) {
            l.logMetrics(row, trainer.globalStep());
        }
    }

    /** @return the learning rates recorded last, by metric name */
    public Map<String, Double> lastLearningRates() {
        return new LinkedHashMap<>(last);
    }
}
