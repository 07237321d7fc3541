package io.geolightning.tiling;

import io.geolightning.foundation.GeoLightningException;

/**
 * The single unchecked error type of the tiling module. Its message is one line naming the file or value,
 * the problem and the fix, ready to show to a user.
 */
public class TilingException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** The {@link TilingSettings} component a bad value was given to, or null. */
    private final String setting;
    /** The bad value as given, or null. */
    private final transient Object value;
    /** What is wrong with it and how to fix it, without naming it (each front end names it its own way). */
    private final String problem;

    /**
     * A bad value of one setting, for front ends to name in their own vocabulary (a flag, a YAML key, a column).
     *
     * @param setting the {@link TilingSettings} component
     * @param value the value as given
     * @param problem what is wrong and the fix, e.g. "must be between 0 and 1"
     * @param message the whole line, as the Java API shows it
     */
    public TilingException(String setting, Object value, String problem, String message) {
        super(message);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
    }

    /** @return the {@link TilingSettings} component whose value is bad, or null when the error is not about one */
    public String setting() {
        return setting;
    }

    /** @return the bad value as given (see {@link #setting()}) */
    public Object value() {
        return value;
    }

    /** @return what is wrong with the value and the fix (see {@link #setting()}) */
    public String problem() {
        return problem;
    }

    /** @param message one line: what (file or value), the problem, the fix */
    public TilingException(String message) {
        this(message, (Throwable) null);
    }

    /** @param message one line: what (file or value), the problem, the fix; @param cause the underlying error */
    public TilingException(String message, Throwable cause) {
        super(message, cause);
        this.setting = null;
        this.value = null;
        this.problem = null;
    }
}
