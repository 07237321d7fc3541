package io.geolightning.app.cli;

import io.geolightning.app.config.ConfigException;
import java.io.PrintWriter;
import java.util.Set;

/**
 * Turns an exception into the CLI's one-line error ({@code error: <file>: <problem>; <fix>}) and an exit code. The
 * project's exceptions already carry such a line; anything else (a bug, an engine failure) is reported with its type
 * and a hint to rerun with {@code --verbose}, which also prints the stack trace.
 */
final class ErrorReporter {

    /** Exception types whose message is written for users. */
    private static final Set<String> USER_FACING = Set.of(
            "io.geolightning.geo.GeoIOException",
            "io.geolightning.tiling.TilingException",
            "io.geolightning.trainer.TrainerException",
            "io.geolightning.models.nn.ModelException",
            "io.geolightning.app.config.ConfigException",
            "io.geolightning.app.report.ReportException",
            "io.geolightning.app.cli.CliException");

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
        return isUsage(e) ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }

    static boolean isUsage(Throwable e) {
        return e instanceof ConfigException || e instanceof io.geolightning.models.predict.PredictOptionException;
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
        Throwable t = userFacing(e);
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

    private static Throwable userFacing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (USER_FACING.contains(c.getName()) && t.getMessage() != null) {
                    return t;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
