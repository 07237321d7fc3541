package io.geolightning.foundation;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

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

    /** A command line run in-process: its output goes to the given writers and it returns its exit code. */
    @FunctionalInterface
    public interface Command {
        /**
         * @param args command-line arguments
         * @param out standard output
         * @param err standard error
         * @return the exit code
         */
        int execute(String[] args, PrintWriter out, PrintWriter err);
    }

    /**
     * The {@code main} of a command: runs it on UTF-8 writers over the standard streams, flushes them and exits the JVM
     * with its code.
     *
     * @param command the command
     * @param args command-line arguments
     */
    public static void runAndExit(Command command, String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = command.execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
