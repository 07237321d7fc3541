package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code geolightning} command line: {@code info}, {@code tile}, {@code train}, {@code predict} and
 * {@code evaluate}. Every command has {@code --help}; {@code --version} prints the versions; {@code --progress} logs
 * GeoLightning's progress; {@code --verbose} logs at INFO and prints stack traces. Exit codes: 0 success, 1 failure while running, 2 usage error (command line or
 * run configuration). Errors are one line on stderr: {@code error: <file>: <problem>; <fix>}.
 *
 * <p>Only this package prints to the terminal; the libraries log through SLF4J (slf4j-simple, to stderr, configured
 * here before the first logger is created).
 */
@Command(name = "geolightning", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Satellite/aerial imagery + vector labels to land-use classifiers and classified rasters.",
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error. Run 'geolightning <command> --help' for details."})
public final class GeoLightningCli implements Runnable {

    /** The commands, in the order {@code --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(InfoCommand.class, TileCommand.class, TrainCommand.class,
            PredictCommand.class, EvaluateCommand.class, ExportCommand.class, CommandLine.HelpCommand.class);

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log progress and details (INFO) and print stack traces on errors.")
    boolean verbose;

    @Option(names = "--progress", scope = ScopeType.INHERIT,
            description = "Log GeoLightning's progress messages (tiling, training, prediction, with ETA) to stderr.")
    boolean progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no command given; use one of info, tile, train, predict, evaluate");
    }

    /**
     * Runs the CLI and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        ExitCodes.runAndExit(GeoLightningCli::execute, args);
    }

    /**
     * Runs the CLI in-process (tests, embedding).
     *
     * @param args command-line arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code (0 ok, 1 failure, 2 usage error)
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        boolean progress = Arrays.asList(args).contains("--progress");
        Logging.configure(verbose, progress);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cl = commandLine(out, err, verbose, args);
        try {
            return cl.execute(args);
        } catch (Error e) { // picocli hands Exceptions to the handler above; Errors (out of memory, linkage) end here
            String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
            return ErrorReporter.report(e, err, verbose, command);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * @param out standard output
     * @param err standard error
     * @param verbose stack traces on errors
     * @param args the arguments: when their first word names a command, only that command's options are built
     *             (picocli reflects over every option of every command it is given; a one-shot {@code tile} need not
     *             pay for {@code train}'s), otherwise all of them (usage, {@code help}, a misspelt command)
     * @return the configured picocli command line
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean verbose, String... args) {
        CommandLine cl = new CommandLine(new GeoLightningCli());
        String word = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        List<Class<?>> named = COMMANDS.stream().filter(c -> word != null && names(c).contains(word)).toList();
        boolean all = named.isEmpty() || named.contains(CommandLine.HelpCommand.class);
        for (Class<?> c : all ? COMMANDS : named) {
            cl.addSubcommand(c);
        }
        cl.registerConverter(GdalPath.class, text -> { // before picocli would make it a Path and collapse its //
            try {
                return GdalPath.of(text);
            } catch (GeoIOException e) { // its message alone: picocli's would name the exception's class
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                ErrorReporter.report(e, commandLine.getErr(), verbose, commandLine.getCommandName()));
        cl.setParameterExceptionHandler((e, given) -> {
            PrintWriter w = e.getCommandLine().getErr();
            String cmd = e.getCommandLine().getCommandSpec().qualifiedName();
            String msg = ErrorReporter.oneLine(e.getMessage());
            if (msg.endsWith(".")) {
                msg = msg.substring(0, msg.length() - 1);
            }
            w.println("error: " + msg + "; see '" + cmd + " --help'");
            if (verbose) {
                e.printStackTrace(w);
            }
            w.flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }
}
