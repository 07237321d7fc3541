package io.geolightning.app.cli;

import java.io.PrintWriter;

/**
 * Aligned "key: value" lines for the CLI's output; numbers are formatted by {@link io.geolightning.app.report.Numbers}.
 */
final class Table {

    private final PrintWriter out;
    private final int width;

    /**
     * @param out where to print
     * @param width key column width
     */
    Table(PrintWriter out, int width) {
        this.out = out;
        this.width = width;
    }

    void title(String s) {
        out.println(s);
    }

    void row(String key, Object value) {
        String k = key + ":";
        out.println("  " + (k.length() >= width ? k + " " : k + " ".repeat(width - k.length())) + value);
    }
}
