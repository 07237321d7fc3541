package io.geolightning.app.report;

import io.geolightning.foundation.GeoLightningException;

/** A run folder or report that cannot be read or written; the message is one line naming the file and the fix. */
public class ReportException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: the file, the problem, the fix */
    public ReportException(String message) {
        super(message);
    }

    /**
     * @param message one line: the file, the problem, the fix
     * @param cause the underlying failure
     */
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
