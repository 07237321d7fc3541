package io.geolightning.app.config;

import io.geolightning.foundation.GeoLightningException;

/**
 * A run configuration that cannot be used: an unknown key, a value of the wrong type, a missing required value or
 * values that contradict each other. The message is one line naming the file or key, the problem and the fix; the CLI
 * treats it as a usage error (exit code 2).
 */
public class ConfigException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what, the problem, the fix */
    public ConfigException(String message) {
        super(Kind.USAGE, message);
    }

    /**
     * @param message one line: what, the problem, the fix
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(Kind.USAGE, message, cause);
    }
}
