package io.geolightning.spark;

import io.geolightning.foundation.GeoLightningException;

/**
 * A failure of a Spark job that a user can fix, carrying ONE line naming the file (or value), the problem and the
 * fix, e.g. {@code "scenes.csv: no 'raster' column; add a column 'raster' with one scene path per row"}.
 */
public class SparkJobException extends GeoLightningException {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line message */
    public SparkJobException(String message) {
        super(OneLine.of(message));
    }

    /**
     * @param message the one-line message
     * @param cause what went wrong underneath
     */
    public SparkJobException(String message, Throwable cause) {
        super(OneLine.of(message), cause);
    }

    /**
     * @param kind whose mistake it is
     * @param message the one-line message
     * @param cause what went wrong underneath, or null
     */
    protected SparkJobException(Kind kind, String message, Throwable cause) {
        super(kind, OneLine.of(message), cause);
    }
}
