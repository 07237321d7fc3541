package io.geolightning.trainer;

import io.geolightning.foundation.GeoLightningException;

/**
 * The one unchecked exception of the lightning-trainer module. Its message is a single line naming the offending
 * value or file, the problem and the fix, e.g. {@code "monitor 'val_acc' was never logged (logged: val_loss,
 * train_loss); log it with log(\"val_acc\", ...) or monitor one of those"}.
 */
public class TrainerException extends GeoLightningException {

    private static final long serialVersionUID = 1L;

    /** The {@link TrainerConfig} setting whose value is bad ({@code maxEpochs}), or null. */
    private final String setting;

    /**
     * Creates the exception.
     *
     * @param message one line: what, why, how to fix
     */
    public TrainerException(String message) {
        this(null, message, null);
    }

    /**
     * A bad value of one setting, which front ends name in their own vocabulary (a YAML key, a flag) by
     * {@link #setting()} rather than by reading the message.
     *
     * @param setting the {@link TrainerConfig} setting, e.g. {@code maxEpochs}
     * @param message one line naming the setting and its value, the problem, the fix
     * @param cause the underlying failure, or null
     */
    public TrainerException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one line: what, why, how to fix
     * @param cause the underlying failure
     */
    public TrainerException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /** @return the {@link TrainerConfig} setting whose value is bad, or null when the error is not about one */
    public String setting() {
        return setting;
    }
}
