package io.geolightning.app.config;

/**
 * The {@code callbacks} section.
 *
 * @param checkpoint which checkpoints to keep
 * @param earlyStopping early stopping (off unless given)
 * @param lrMonitor log the learning rate every epoch (default false)
 */
public record CallbacksSection(CheckpointSection checkpoint, EarlyStoppingSection earlyStopping, Boolean lrMonitor) {

    /** Fills defaults. */
    public CallbacksSection {
        checkpoint = checkpoint == null ? CheckpointSection.defaults() : checkpoint;
        earlyStopping = earlyStopping == null ? EarlyStoppingSection.off() : earlyStopping;
        lrMonitor = lrMonitor == null ? Boolean.FALSE : lrMonitor;
    }

    /** @return best-by-val_loss checkpoints, no early stopping, no learning-rate monitor */
    public static CallbacksSection defaults() {
        return new CallbacksSection(null, null, null);
    }
}
