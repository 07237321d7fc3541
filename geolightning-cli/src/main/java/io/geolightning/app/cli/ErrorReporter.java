package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.foundation.GeoLightningException;
import io.geolightning.foundation.OneLine;
import java.io.PrintWriter;

/**
 * Turns an exception into the CLI's one-line error ({@code error: <file>: <problem>; <fix>}) and an exit code. The
 * project's exceptions ({@link GeoLightningException}s, found anywhere in the cause chain) already carry such a line
 * and say whether they are a usage error (exit code 2) or a failure (1); anything else (a bug, an engine failure) is
 * reported with its type and a hint to rerun with {@code --verbose}, which also prints the stack trace.
 */
final class ErrorReporter {

    private ErrorReporter() {
    }

    /**
     * @param e the failure
     * @param err where to print
     * @param verbose also print the stack trace
     * @return the exit code
     */
    static int report(Throwable e, PrintWriter err, boolean verbose) {
        return report(e, err, verbose, "");
    }

    /**
     * @param e the failure
     * @param err where to print
     * @param verbose also print the stack trace
     * @param command the subcommand that ran (tile, train, ...), for advice that fits it
     * @return the exit code
     */
    static int report(Throwable e, PrintWriter err, boolean verbose, String command) {
        err.println("error: " + (e instanceof OutOfMemoryError ? outOfMemory(e, command) : message(e)));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        GeoLightningException g = GeoLightningException.find(e);
        return g == null ? ExitCodes.FAILURE : g.exitCode();
    }

    /** The fix for running out of heap depends on what was running. */
    static String outOfMemory(Throwable e, String command) {
        String fix = switch (command) {
            case "tile" -> "tile a smaller extent or fewer --workers, or give the JVM more heap (JAVA_OPTS=-Xmx8g)";
            case "train" -> "lower data.batchSize or data.workers, or give the JVM more heap (JAVA_OPTS=-Xmx8g)";
            case "predict", "evaluate" -> "lower --batch-size (or --window), or give the JVM more heap"
                    + " (JAVA_OPTS=-Xmx8g)";
            default -> "give the JVM more heap (JAVA_OPTS=-Xmx8g)";
        };
        return (command.isEmpty() ? "" : command + ": ") + "out of memory (" + oneLine(e.getMessage()) + "); " + fix;
    }

    /** @return the one-line message for an exception */
    static String message(Throwable e) {
        Throwable t = GeoLightningException.find(e);
        if (t != null) {
            return oneLine(t.getMessage());
        }
        if (e instanceof OutOfMemoryError) {
            return outOfMemory(e, "");
        }
        String detail = e.getMessage() == null ? "" : ": " + oneLine(e.getMessage());
        return "unexpected " + e.getClass().getSimpleName() + detail + "; rerun with --verbose for the stack trace"
                + " and report it";
    }

    static String oneLine(String s) {
        return OneLine.of(s);
    }
}
