package io.geolightning.models.nn;

import io.geolightning.foundation.GeoLightningException;

/**
 * The unchecked exception of the land-use-models module. Its message is one line naming the file or value,
 * the problem and the fix, e.g. {@code "model.json: checkpoint expects 6 bands but L7.tif has 3; ..."}.
 */
public class ModelException extends GeoLightningException {

    private static final long serialVersionUID = 1L;

    /** @param message one line: what (file or value), the problem, the fix */
    public ModelException(String message) {
        super(message);
    }

    /**
     * @param message one line: what (file or value), the problem, the fix
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param kind whose mistake it is (a {@link Kind#USAGE} for a bad option)
     * @param message one line: what (file or value), the problem, the fix
     */
    protected ModelException(Kind kind, String message) {
        super(kind, message);
    }
}
