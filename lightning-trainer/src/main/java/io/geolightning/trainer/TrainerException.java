package io.geolightning.trainer;

import io.geolightning.foundation.GeoLightningException;

/**
 * The one unchecked exception of the lightning-trainer module. Its message is a single line naming the offending
 * value or file, the problem and the fix, e.g. {@code "monitor 'val_acc' was never logged (logged: val_loss,
 * train_loss); log it with log(\"val_acc\", ...) or monitor one of those"}.
 */
public class TrainerException extends GeoLightningException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: what, why, how to fix
     */
    public TrainerException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one line: what, why, how to fix
     * @param cause the underlying failure
     */
    public TrainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
