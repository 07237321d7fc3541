package io.geolightning.app.config;

import io.geolightning.trainer.callbacks.Mode;

/**
 * {@code callbacks.earlyStopping}: stop when a metric stops improving. Absent (or {@code enabled: false}) = off.
 *
 * @param enabled whether to stop early (default true when the section is present)
 * @param monitor metric to watch (default {@code val_loss})
 * @param mode {@code min} (default) or {@code max}
 * @param patience checks without improvement before stopping (default 3): epochs, or validations when
 *     {@code trainer.valCheckInterval} validates several times per epoch
 * @param minDelta smallest change counted as an improvement (default 0)
 */
public record EarlyStoppingSection(Boolean enabled, String monitor, String mode, Integer patience, Double minDelta) {

    /** Fills defaults. */
    public EarlyStoppingSection {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        monitor = monitor == null ? "val_loss" : monitor;
        mode = mode == null ? "min" : mode;
        patience = patience == null ? 3 : patience;
        minDelta = minDelta == null ? 0.0 : minDelta;
        CheckpointSection.mode(mode, "callbacks.earlyStopping.mode");
        if (patience < 0) {
            throw new ConfigException("callbacks.earlyStopping.patience " + patience + ": use 0 or more epochs");
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new ConfigException("callbacks.earlyStopping.minDelta " + minDelta + ": use 0 or a positive change");
        }
    }

    /** @return whether a smaller or a larger monitored value is better */
    public Mode monitorMode() {
        return CheckpointSection.mode(mode, "callbacks.earlyStopping.mode");
    }

    /** @return early stopping switched off */
    public static EarlyStoppingSection off() {
        return new EarlyStoppingSection(false, null, null, null, null);
    }
}
