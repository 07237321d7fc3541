package io.geolightning.tiling;

import io.geolightning.foundation.GeoLightningException;

/**
 * The single unchecked error type of the tiling module. Its message is one line naming the file or value,
 * the problem and the fix, ready to show to a user.
 */
public class TilingException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what (file or value), the problem, the fix */
    public TilingException(String message) {
        super(message);
    }

    /** @param message one line: what (file or value), the problem, the fix; @param cause the underlying error */
    public TilingException(String message, Throwable cause) {
        super(message, cause);
    }
}
