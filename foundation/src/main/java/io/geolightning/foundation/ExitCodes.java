package io.geolightning.foundation;

/** The exit codes of every GeoLightning command (the CLI and the Spark jobs). */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The command ran and failed: unreadable or missing input, a model that does not fit the data, I/O errors. */
    public static final int FAILURE = 1;
    /** The command line or the run configuration is wrong: unknown option or key, bad value, missing argument. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
