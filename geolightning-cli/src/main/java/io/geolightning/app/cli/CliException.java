package io.geolightning.app.cli;

import io.geolightning.foundation.GeoLightningException;

/**
 * A command that cannot run as asked (an output that exists, a folder that is missing, a checkpoint that does not fit
 * the raster); the message is one line naming the file or value, the problem and the fix.
 */
public class CliException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: the file or value, the problem, the fix */
    public CliException(String message) {
        super(message);
    }
}
