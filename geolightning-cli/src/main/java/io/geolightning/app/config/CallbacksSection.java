package io.geolightning.app.config;

/**
 * The {@code callbacks} section.
 *
 * @param checkpoint which checkpoints to keep
 * @param earlyStopping early stopping (off unless given)
 * @param lrMonitor log the learning rate every epoch (default false)
 * @param unfreezeBackboneAtEpoch Lightning's BackboneFinetuning: the backbone (every layer but the classifier) is
 *     frozen before this epoch (0-based) and trained from it on; unset = never frozen
 */
public record CallbacksSection(CheckpointSection checkpoint, EarlyStoppingSection earlyStopping, Boolean lrMonitor,
                               Integer unfreezeBackboneAtEpoch) {

    /** Fills defaults. */
    public CallbacksSection {
        checkpoint = checkpoint == null ? CheckpointSection.defaults() : checkpoint;
        earlyStopping = earlyStopping == null ? EarlyStoppingSection.off() : earlyStopping;
        lrMonitor = lrMonitor == null ? Boolean.FALSE : lrMonitor;
        if (unfreezeBackboneAtEpoch != null && unfreezeBackboneAtEpoch < 0) {
            throw new ConfigException("callbacks.unfreezeBackboneAtEpoch " + unfreezeBackboneAtEpoch + ": must be at"
                    + " least 0 (the first epoch that trains the backbone), e.g. 2");
        }
    }

    /** @return best-by-val_loss checkpoints, no early stopping, no learning-rate monitor */
    public static CallbacksSection defaults() {
        return new CallbacksSection(null, null, null, null);
    }
}
