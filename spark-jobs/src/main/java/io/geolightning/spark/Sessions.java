package io.geolightning.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a job run from {@link SparkJobs}: the one spark-submit configured (its {@code spark.*}
 * system properties), or a local one using every core ({@code local[*]}) when no master is given anywhere.
 */
final class Sessions {

    /** The master URLs Spark 4 parses (SparkContext.createTaskScheduler). */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\*|\\d+)(\\s*,\\s*\\d+)?])?|local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*]"
                    + "|spark://\\S+|yarn|k8s://\\S+");

    private Sessions() {
    }

    /**
     * @param session the session
     * @param owned whether this run created it (and stops it at the end)
     */
    record Opened(SparkSession session, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                session.stop();
            }
        }
    }

    /**
     * @param app application name
     * @param master master URL from the command line, or null
     * @param conf extra {@code spark.*} settings from the command line
     * @return the session, created unless one is active already
     */
    static Opened open(String app, String master, Map<String, String> conf) {
        boolean existed = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession.Builder b = SparkSession.builder().appName(app);
        if (master != null) {
            if (!MASTER.matcher(master.trim()).matches()) { // Spark would log its stack trace before failing
                throw new JobUsageException("--master " + master + ": not a Spark master URL; pass local[*], local[N],"
                        + " spark://HOST:PORT, yarn or k8s://https://HOST:PORT");
            }
            b.master(master.trim());
        } else if (!new SparkConf().contains("spark.master")) {
            b.master("local[*]");
        }
        conf.forEach(b::config);
        return new Opened(b.getOrCreate(), !existed);
    }
}
