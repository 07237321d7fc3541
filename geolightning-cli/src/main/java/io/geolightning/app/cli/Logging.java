package io.geolightning.app.cli;

/**
 * Configures slf4j-simple for the CLI before any logger exists: warnings only by default; {@code --progress} shows
 * GeoLightning's INFO messages (tiling, training and prediction progress with ETA); {@code --verbose} shows INFO from
 * every library. Everything goes to stderr so stdout carries only results. Properties given on the command line
 * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}) win.
 */
final class Logging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /**
     * @param verbose INFO from every library
     * @param progress INFO from GeoLightning's own packages
     */
    static void configure(boolean verbose, boolean progress) {
        setIfAbsent("defaultLogLevel", verbose ? "info" : "warn");
        if (progress && !verbose) {
            setIfAbsent("log.io.geolightning", "info");
        }
        // DJL probes for CUDA on every start and warns when there is none: not news on a CPU machine
        setIfAbsent("log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("logFile", "System.err");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showShortLogName", "true");
        setIfAbsent("levelInBrackets", "true");
        // libraries that are chatty at INFO
        setIfAbsent("log.org.apache.parquet", "warn");
        setIfAbsent("log.org.apache.hadoop", "warn");
        setIfAbsent("log.ai.djl", verbose ? "info" : "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
