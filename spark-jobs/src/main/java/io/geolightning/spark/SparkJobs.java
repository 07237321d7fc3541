package io.geolightning.spark;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.foundation.GeoLightningException;
import io.geolightning.geo.GdalPath;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * Entry point of the Spark jobs, usable unchanged with spark-submit
 * ({@code spark-submit --class io.geolightning.spark.SparkJobs spark-jobs.jar tile|predict ...}) or as a plain
 * Java main (then Spark runs {@code local[*]} unless {@code --master} says otherwise).
 *
 * <ul>
 *   <li>{@code tile}: a scene list (+ labels, tiling settings) into one partitioned Parquet chip store
 *       ({@link TileJob});</li>
 *   <li>{@code predict}: a checkpoint + a scene list into class COGs and a Parquet summary ({@link PredictJob}).</li>
 * </ul>
 * Exit codes: 0 done (scenes may have FAILED, see the report, unless {@code --fail-on-scene-error}), 1 failure
 * while running, 2 usage error (command line, scene list or settings). Errors are one line on stderr:
 * {@code error: <file>: <problem>; <fix>}; {@code --verbose} adds the stack trace.
 */
@Command(name = "geolightning-spark", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "geolightning-spark 0.1.0",
        description = "GeoLightning batch jobs on Apache Spark: distributed tiling and scene prediction.",
        subcommands = {TileJobCommand.class, PredictJobCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class SparkJobs implements Runnable {

    /** Exit code: success. */
    public static final int OK = ExitCodes.OK;
    /** Exit code: failure while running. */
    public static final int FAILURE = ExitCodes.FAILURE;
    /** Exit code: bad command line, scene list or settings. */
    public static final int USAGE = ExitCodes.USAGE;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no job given; use tile or predict");
    }

    /**
     * Runs a job and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        ExitCodes.runAndExit(SparkJobs::execute, args);
    }

    /**
     * Runs a job in-process (tests, embedding); an active Spark session is reused and left running.
     *
     * @param args command-line arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cl = new CommandLine(new SparkJobs());
        cl.registerConverter(GdalPath.class, GdalPath::of);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            w.println("error: " + message(e));
            if (verbose) {
                e.printStackTrace(w);
            }
            w.flush();
            GeoLightningException g = GeoLightningException.find(e);
            return g == null ? FAILURE : g.exitCode();
        });
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + OneLine.of(e.getMessage()) + "; see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            w.flush();
            return USAGE;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** @return the one-line message of a failure: the project's own line, or the type and a hint */
    static String message(Throwable e) {
        GeoLightningException g = GeoLightningException.find(e);
        if (g != null) {
            return OneLine.of(g.getMessage());
        }
        return "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                + OneLine.of(e.getMessage())) + "; rerun with --verbose for the stack trace and report it";
    }
}
