package io.geolightning.foundation;

/**
 * The base of every GeoLightning exception: its message is one line written for the user (the file or value, the
 * problem and the fix), and its {@link Kind} says whose mistake it is, which decides the exit code. The CLI and the
 * Spark jobs recognise a user-facing error by this type alone, wherever it sits in a cause chain.
 */
public class GeoLightningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whose mistake a failure is. */
    public enum Kind {
        /** The command ran and failed: an input is missing, unreadable, damaged or inconsistent (exit code 1). */
        FAILURE(ExitCodes.FAILURE),
        /** The command line or the run configuration is wrong (exit code 2). */
        USAGE(ExitCodes.USAGE);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** @return the process exit code for this kind */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    /** @param message one line: what (file or value), the problem, the fix; a {@link Kind#FAILURE} */
    public GeoLightningException(String message) {
        this(Kind.FAILURE, message, null);
    }

    /**
     * @param message one line: what (file or value), the problem, the fix; a {@link Kind#FAILURE}
     * @param cause the underlying failure
     */
    public GeoLightningException(String message, Throwable cause) {
        this(Kind.FAILURE, message, cause);
    }

    /**
     * @param kind whose mistake it is
     * @param message one line: what (file or value), the problem, the fix
     */
    public GeoLightningException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * @param kind whose mistake it is
     * @param message one line: what (file or value), the problem, the fix
     * @param cause the underlying failure, or null
     */
    public GeoLightningException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? Kind.FAILURE : kind;
    }

    /** @return whose mistake it is */
    public Kind kind() {
        return kind;
    }

    /** @return the process exit code: {@link ExitCodes#FAILURE} or {@link ExitCodes#USAGE} */
    public int exitCode() {
        return kind.exitCode();
    }

    /** @return whether this is a usage error (exit code 2) */
    public boolean isUsage() {
        return kind == Kind.USAGE;
    }

    /**
     * The first GeoLightning exception with a message in a cause chain: the one whose line the user sees.
     *
     * @param t a failure
     * @return that exception, or null when the chain holds none
     */
    public static GeoLightningException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof GeoLightningException g && c.getMessage() != null) {
                return g;
            }
        }
        return null;
    }
}
