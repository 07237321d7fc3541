package io.geolightning.app.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Aligned "key: value" lines and number formatting for the CLI's output. */
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

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        String t = a >= 1e-3 && a < 1e7 ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.6g", v);
        return t.contains("e") || !t.contains(".") ? t : t.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String nums(double[] v) {
        return Arrays.stream(v).mapToObj(Table::num).collect(Collectors.joining(", ", "[", "]"));
    }
}
