package io.geolightning.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * One in-process run of the CLI's main entry (public for the tests of the other packages).
 *
 * @param code exit code
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int code, String out, String err) {

    /** @param args the command line (paths and numbers as they print) @return what the run did */
    public static CliRun of(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] instanceof Path p ? p.toString() : String.valueOf(args[i]);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GeoLightningCli.execute(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** @return the only line of stderr that is not a log line (slf4j-simple lines start with '[') */
    String errorLine() {
        return err.lines().filter(l -> !l.startsWith("[")).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** Tiles the Olinda sample as sample-data/run.yaml's header says (16 px chips, spatial split, seed 42). */
    public static CliRun tileOlinda(Path chips) {
        return of("tile", "--raster", sample("olinda/L7_ETMs.tif"), "--labels", sample("olinda/olinda1.shp"),
                "--label-field", "TIPO", "--chip", 16, "--stride", 8, "--split", "spatial", "--block", 4, "--val", 0.2,
                "--test", 0.2, "--seed", 42, "--out", chips);
    }

    static Path data(String relative) {
        return Path.of(System.getProperty("geolightning.root"), "..", "shared", "data", relative).normalize();
    }

    /** @return a file of sample-data/ */
    public static Path sample(String relative) {
        return Path.of(System.getProperty("geolightning.root"), "sample-data", relative);
    }
}
