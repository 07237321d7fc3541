package io.geolightning.models.cli;

/**
 * Configures slf4j-simple for the CLI before any logger exists: warnings only by default, INFO (progress with ETA,
 * what each step does) with {@code --verbose}; everything goes to stderr so stdout carries only results. Properties
 * given on the command line ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}) win.
 */
final class Logging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /** @param verbose INFO instead of WARN */
    static void configure(boolean verbose) {
        setIfAbsent("defaultLogLevel", verbose ? "info" : "warn");
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
