package io.geolightning.spark;

/**
 * A job's input is wrong before any work starts (a bad scene list, setting, or output clash): exit code 2, like a
 * command-line usage error. Carries one line naming the file or value, the problem and the fix.
 */
public final class JobUsageException extends SparkJobException {
    private static final long serialVersionUID = 1L;

    /** @param message the one-line message */
    public JobUsageException(String message) {
        super(Kind.USAGE, message, null);
    }

    /**
     * @param message the one-line message
     * @param cause what went wrong underneath
     */
    public JobUsageException(String message, Throwable cause) {
        super(Kind.USAGE, message, cause);
    }
}
