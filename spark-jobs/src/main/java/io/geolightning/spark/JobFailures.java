package io.geolightning.spark;

import io.geolightning.foundation.GeoLightningException;

/**
 * Turns a Spark job failure (a task failed for good, e.g. a node without GDAL) back into the one line the failing
 * task threw: Spark wraps it into a {@code SparkException} whose cause is the original exception when it could be
 * shipped back, and whose message holds its {@code toString()} otherwise. Any {@link GeoLightningException} in the
 * chain is the user's line (and keeps its kind, so a usage error still exits with 2).
 */
final class JobFailures {
    private static final String MARKER = SparkJobException.class.getName() + ": ";

    private JobFailures() {
    }

    /**
     * @param what the job, e.g. "tile job"
     * @param e the failure
     * @return the exception to report
     */
    static SparkJobException translate(String what, Throwable e) {
        GeoLightningException g = GeoLightningException.find(e);
        if (g instanceof SparkJobException s) {
            return s;
        }
        if (g != null) {
            return new SparkJobException(g.kind(), g.getMessage(), e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        int i = m.indexOf(MARKER);
        if (i >= 0) {
            String rest = m.substring(i + MARKER.length());
            int nl = rest.indexOf('\n');
            return new SparkJobException(nl < 0 ? rest : rest.substring(0, nl), e);
        }
        int nl = m.indexOf('\n');
        return new SparkJobException(what + " failed in Spark (" + OneLine.of(nl < 0 ? m : m.substring(0, nl))
                + "); see the executor logs, or rerun with --verbose for the stack trace", e);
    }
}
