package io.geolightning.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Shared fixtures: one local[2] Spark session for every test class of the JVM, the shared data, small helpers. */
final class SparkTestSupport {

    private static SparkSession session;

    private SparkTestSupport() {
    }

    /** @return the shared session (local[2], no UI), created on first use and stopped when the JVM exits */
    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder().appName("geolightning-spark-tests").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** @return the shared data folder (/work/shared/data) */
    static Path data() {
        return Path.of(System.getProperty("geolightning.root", "."), "..", "shared", "data").toAbsolutePath()
                .normalize();
    }

    static Path data(String relative) {
        return data().resolve(relative);
    }

    static Path nbClip(int i) {
        return data("new-brunswick/23322E759967N_clipped_1m_" + i + "of2.tif");
    }

    static Path nbLabels() {
        return data("new-brunswick/BakerLake_2017_clipped.gpkg");
    }

    /** Writes a CSV scene list. */
    static Path csv(Path file, String header, List<String> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** A file that looks like a GeoTIFF by name but is not one. */
    static Path corruptTif(Path dir) throws IOException {
        Path p = dir.resolve("corrupt.tif");
        Files.writeString(p, "II*\0 this is not really a TIFF\n");
        return p;
    }

    /** Result of running {@link SparkJobs} in-process. */
    record Run(int code, String out, String err) {
    }

    static Run jobs(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]);
        }
        spark(); // the jobs reuse the active session
        int code = SparkJobs.execute(a, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Runs a job that must be refused as a usage error: exit code 2, one {@code error:} line on stderr (Spark's own
     * log lines start with '[') and no stack trace.
     *
     * @return the error line
     */
    static String usageError(Object... args) {
        Run r = jobs(args);
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("[")).toList();
        org.junit.jupiter.api.Assertions.assertEquals(SparkJobs.USAGE, r.code(), r.err());
        org.junit.jupiter.api.Assertions.assertEquals(1, lines.size(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).startsWith("error: "), r.err());
        return lines.get(0);
    }

    /** @return {@code args} and then {@code more} */
    static Object[] with(Object[] args, Object... more) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
