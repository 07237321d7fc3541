package io.geolightning.trainer.callbacks;

import ai.djl.training.dataset.Batch;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import java.util.Map;

/**
 * A hook into the {@link Trainer}'s loop, like Lightning's {@code Callback}: every method is an optional no-op.
 * A callback with state to resume (best score, wait counter) returns it from {@link #stateDict()}; the trainer
 * stores it in every checkpoint under {@link #stateKey()} and hands it back through {@link #loadStateDict(Map)}.
 * State values must be JSON-friendly (numbers, strings, booleans, lists, maps).
 */
public interface Callback {

    /**
     * Called once at the start of {@code fit}, after the module is initialised and a checkpoint restored.
     *
     * @param trainer the trainer
     * @param module the module
     */
    default void onFitStart(Trainer trainer, LightningModule module) {}

    /**
     * Called once at the end of {@code fit} (also after an early stop).
     *
     * @param trainer the trainer
     * @param module the module
     */
    default void onFitEnd(Trainer trainer, LightningModule module) {}

    /**
     * @param trainer the trainer
     * @param module the module
     */
    default void onTrainEpochStart(Trainer trainer, LightningModule module) {}

    /**
     * Called after the training epoch, after validation if it ran at the epoch's end (also after an epoch that a stop
     * request cut short); epoch metrics are in {@link Trainer#callbackMetrics()}.
     *
     * @param trainer the trainer
     * @param module the module
     */
    default void onTrainEpochEnd(Trainer trainer, LightningModule module) {}

    /**
     * @param trainer the trainer
     * @param module the module
     * @param batch the batch about to be trained on
     * @param batchIdx its index in the epoch
     */
    default void onTrainBatchStart(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {}

    /**
     * @param trainer the trainer
     * @param module the module
     * @param loss the batch loss (unscaled by accumulation), NaN in manual optimisation without a returned loss
     * @param batchIdx its index in the epoch
     */
    default void onTrainBatchEnd(Trainer trainer, LightningModule module, double loss, int batchIdx) {}

    /**
     * @param trainer the trainer
     * @param module the module
     */
    default void onValidationStart(Trainer trainer, LightningModule module) {}

    /**
     * Called after each validation step (not during the sanity check), the batch still open.
     *
     * @param trainer the trainer
     * @param module the module
     * @param batch the batch
     * @param batchIdx its index in the loop
     */
    default void onValidationBatchEnd(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {}

    /**
     * Called after a validation loop; its metrics are in {@link Trainer#callbackMetrics()} (not called during the
     * sanity check).
     *
     * @param trainer the trainer
     * @param module the module
     */
    default void onValidationEnd(Trainer trainer, LightningModule module) {}

    /**
     * @param trainer the trainer
     * @param module the module
     */
    default void onTestStart(Trainer trainer, LightningModule module) {}

    /**
     * Called after each test step, the batch still open.
     *
     * @param trainer the trainer
     * @param module the module
     * @param batch the batch
     * @param batchIdx its index in the loop
     */
    default void onTestBatchEnd(Trainer trainer, LightningModule module, Batch batch, int batchIdx) {}

    /**
     * @param trainer the trainer
     * @param module the module
     */
    default void onTestEnd(Trainer trainer, LightningModule module) {}

    /**
     * Called when training fails with an exception, before it propagates.
     *
     * @param trainer the trainer
     * @param module the module
     * @param error the failure
     */
    default void onException(Trainer trainer, LightningModule module, Throwable error) {}

    /** @return the key under which {@link #stateDict()} is stored; unique per callback instance kind */
    default String stateKey() {
        return getClass().getSimpleName();
    }

    /** @return the state to put in a checkpoint (JSON-friendly values); empty for none */
    default Map<String, Object> stateDict() {
        return Map.of();
    }

    /**
     * Restores the state saved by {@link #stateDict()}.
     *
     * @param state the saved state
     */
    default void loadStateDict(Map<String, Object> state) {}

    /**
     * Restores what {@link #stateDict} returned, knowing the checkpoint it came from (a callback that names files can
     * find them beside it); by default {@link #loadStateDict(Map)}.
     *
     * @param state the callback's state
     * @param checkpoint the checkpoint being resumed from
     */
    default void loadStateDict(Map<String, Object> state, java.nio.file.Path checkpoint) {
        loadStateDict(state);
    }
}
