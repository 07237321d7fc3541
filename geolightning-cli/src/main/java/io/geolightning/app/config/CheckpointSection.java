package io.geolightning.app.config;

import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.callbacks.CheckpointFilename;
import io.geolightning.trainer.callbacks.Mode;
import java.util.Locale;

/**
 * {@code callbacks.checkpoint}: which checkpoints the run keeps in its {@code checkpoints/} folder.
 *
 * @param monitor metric ranking checkpoints (default {@code val_loss}; without validation data the most recent are
 *                kept instead)
 * @param mode {@code min} (default) or {@code max}
 * @param saveTopK how many best to keep, -1 = all (default 1)
 * @param saveLast also keep {@code last.ckpt} (default true)
 * @param filename file name template (default {@code epoch={epoch}-val_loss={val_loss:.4f}}, following the monitor)
 * @param autoInsertMetricName Lightning's {@code auto_insert_metric_name} (default true): a field not written after
 *                its name gets it, {@code {epoch}-{val_loss:.2f}} naming {@code epoch=3-val_loss=0.12.ckpt}
 */
public record CheckpointSection(String monitor, String mode, Integer saveTopK, Boolean saveLast, String filename,
                                Boolean autoInsertMetricName) {

    /** Fills defaults. */
    public CheckpointSection {
        monitor = monitor == null ? "val_loss" : monitor;
        mode = mode == null ? "min" : mode;
        saveTopK = saveTopK == null ? 1 : saveTopK;
        saveLast = saveLast == null ? Boolean.TRUE : saveLast;
        autoInsertMetricName = autoInsertMetricName == null ? Boolean.TRUE : autoInsertMetricName;
        if (filename == null) {
            filename = monitor.isBlank() ? "epoch={epoch}-step={step}" : "epoch={epoch}-" + monitor + "={" + monitor
                    + ":.4f}";
        }
        mode(mode, "callbacks.checkpoint.mode");
        if (saveTopK < -1) {
            throw new ConfigException("callbacks.checkpoint.saveTopK " + saveTopK + ": use -1 (keep all), 0 (none) or"
                    + " a positive count");
        }
        try {
            CheckpointFilename.check(filename, saveLast);
        } catch (TrainerException e) {
            throw new ConfigException("callbacks.checkpoint.filename", "callbacks.checkpoint.filename: "
                    + e.getMessage(), e);
        }
    }

    /** @return whether a smaller or a larger monitored value is better */
    public Mode monitorMode() {
        return mode(mode, "callbacks.checkpoint.mode");
    }

    /**
     * @param text {@code min} or {@code max}, any case
     * @param key the key, for the message
     * @return the mode
     */
    static Mode mode(String text, String key) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "min" -> Mode.MIN;
            case "max" -> Mode.MAX;
            default -> throw new ConfigException(key + " '" + text + "': unknown; use min or max");
        };
    }

    /** @return keep the best by val_loss plus last.ckpt */
    public static CheckpointSection defaults() {
        return new CheckpointSection(null, null, null, null, null, null);
    }
}
