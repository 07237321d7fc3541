package io.geolightning.app.config;

import io.geolightning.foundation.GeoLightningException;

/**
 * A run configuration that cannot be used: an unknown key, a value of the wrong type, a missing required value or
 * values that contradict each other. The message is one line naming the file or key, the problem and the fix; the CLI
 * treats it as a usage error (exit code 2). It may carry the key it is about ({@link #key()}), which says where the
 * value came from ({@link ValueOrigins}) without reading the message.
 */
public class ConfigException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** The dotted key the message is about ({@code model.options.width}), or null to take the one it starts with. */
    private final String key;

    /** @param message one line: what, the problem, the fix */
    public ConfigException(String message) {
        this(null, message, null);
    }

    /**
     * @param message one line: what, the problem, the fix
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /**
     * @param key the dotted key the message is about, e.g. {@code optimizer.warmupSteps}, or null
     * @param message one line: what, the problem, the fix
     * @param cause the underlying failure, or null
     */
    public ConfigException(String key, String message, Throwable cause) {
        super(Kind.USAGE, message, cause);
        this.key = key;
    }

    /**
     * @return the dotted key the message is about, when the code that found the problem knew it apart from the message
     *     (an option named by the models module); null otherwise (the message then starts with its key)
     */
    public String key() {
        return key;
    }
}
