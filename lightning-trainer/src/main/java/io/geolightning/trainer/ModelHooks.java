package io.geolightning.trainer;

import java.util.Map;

/**
 * A {@link LightningModule}'s hooks, as Lightning's {@code ModelHooks} and {@code CheckpointHooks}: each empty by
 * default, overridden where a module acts at the start or end of a fit, an epoch or a loop, or stores state in its
 * checkpoints. What {@code log} does in each is in {@link LightningModule#log(String, double, LogOptions)}.
 */
public interface ModelHooks {

    /** Called at the start of fit. */
    default void onFitStart() {}

    /** Called at the end of fit. */
    default void onFitEnd() {}

    /** Called before each training epoch; what it logs is the epoch's value (logged at the epoch's end). */
    default void onTrainEpochStart() {}

    /**
     * Called after each training epoch (after its validation); log epoch aggregates here: {@code log(name, value)}
     * logs them for the epoch, beside the epoch means ({@code onStep(true)} is refused, as in Lightning).
     */
    default void onTrainEpochEnd() {}

    /** Called before each validation loop (also the sanity check). */
    default void onValidationEpochStart() {}

    /** Called after each validation loop, before its metrics are collected: log e.g. a confusion matrix here. */
    default void onValidationEpochEnd() {}

    /** Called before the test loop. */
    default void onTestEpochStart() {}

    /** Called after the test loop, before its metrics are collected. */
    default void onTestEpochEnd() {}

    /** Called before the predict loop. */
    default void onPredictEpochStart() {}

    /** Called after the predict loop. */
    default void onPredictEpochEnd() {}

    /**
     * Adds module state to a checkpoint (JSON-friendly values). Default: nothing.
     *
     * @param extra map to fill
     */
    default void onSaveCheckpoint(Map<String, Object> extra) {}

    /**
     * Restores what {@link #onSaveCheckpoint} stored. Default: nothing.
     *
     * @param extra the stored map
     */
    default void onLoadCheckpoint(Map<String, Object> extra) {}
}
