package io.geolightning.trainer.loops;

import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.BatchLimit;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.TrainerConfig;

/**
 * How many batches each loop runs, from the configuration and the loader's size (estimated from its first batch):
 * {@code fastDevRun} and {@code overfitBatches} override the {@code limit*Batches}; {@code valCheckInterval} spaces
 * validations within an epoch.
 */
final class LoopLimits {

    /** Until the loader ends. */
    static final int ALL = Integer.MAX_VALUE;

    private LoopLimits() {
    }

    /** @return the epochs of a fit: one with {@code fastDevRun} */
    static int maxEpochs(TrainerConfig config) {
        return config.fastDevRun() > 0 ? 1 : config.maxEpochs();
    }

    /** @return the training batches per epoch, or {@link #ALL} */
    static int train(TrainerConfig config, Batch first) {
        return config.trainBatches(estimateBatches(first));
    }

    /** @return the batches of a validation within a fit, or {@link #ALL} to resolve the loader's own limit */
    static int validationInFit(TrainerConfig config) {
        if (config.fastDevRun() > 0) {
            return config.fastDevRun();
        }
        if (config.overfitBatches() > 0) {
            return config.overfitBatches();
        }
        return ALL;
    }

    /**
     * @return the batches of a validation or test run: {@code fastDevRun}'s count, else its
     *     {@code limitValBatches}/{@code limitTestBatches}
     */
    static int evaluation(TrainerConfig config, Batch first, Stage stage) {
        if (config.fastDevRun() > 0) {
            return config.fastDevRun();
        }
        BatchLimit l = stage == Stage.TEST ? config.limitTestBatches() : config.limitValBatches();
        return l.resolve(estimateBatches(first));
    }

    /** @return training batches between two validations within an epoch, or {@link #ALL} (at epoch end only) */
    static int validationInterval(TrainerConfig config, int trainBatches) {
        BatchLimit v = config.valCheckInterval();
        if (v.count() > 0) {
            return v.count();
        }
        if (v.fraction() >= 1.0 || trainBatches == ALL) {
            return ALL;
        }
        return Math.max(1, (int) Math.round(trainBatches * v.fraction()));
    }

    private static long estimateBatches(Batch first) {
        long total = first.getProgressTotal();
        int size = first.getSize();
        if (total <= 0 || size <= 0) {
            return -1;
        }
        return (total + size - 1) / size;
    }
}
